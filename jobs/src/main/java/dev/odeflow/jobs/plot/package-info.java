/**
 * PNG pictures of 2-D models: a flow's learned density on a grid and a histogram of samples drawn from it
 * ({@link dev.odeflow.jobs.plot.FlowPictures}), a trajectory fit's phase portrait and trajectories
 * ({@link dev.odeflow.jobs.plot.TrajectoryPictures}),
 * rendered headless with {@link java.awt.image.BufferedImage} and {@link javax.imageio.ImageIO}.
 */
package dev.odeflow.jobs.plot;
