/**
 * PNG pictures of 2-D flows: the learned density on a grid and a histogram of samples drawn from the model,
 * rendered headless with {@link java.awt.image.BufferedImage} and {@link javax.imageio.ImageIO}.
 */
package dev.odeflow.jobs.plot;
