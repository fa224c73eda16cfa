/**
 * Data for training: FFJORD's toy generators ({@link dev.odeflow.driver.data.ToyData}), Parquet/CSV tables
 * read through Spark SQL in one pass ({@link dev.odeflow.driver.data.TableReader},
 * {@link dev.odeflow.driver.data.ValueScan}), standardization statistics computed with Spark
 * ({@link dev.odeflow.driver.data.Standardization}), seeded train/validation/test splits cut without a shuffle
 * ({@code TableSplit}), one cached
 * dense {@link dev.odeflow.driver.data.DataBlock} per partition ({@link dev.odeflow.driver.data.PreparedData}),
 * and the per-partition minibatch walk ({@link dev.odeflow.driver.data.MinibatchPlan}) over a block's units
 * ({@link dev.odeflow.driver.data.TrainingBlock}). For trajectory fits: time series in long tables, each series whole
 * in one partition ({@code SeriesTable}, {@link dev.odeflow.driver.data.SeriesBlock},
 * {@link dev.odeflow.driver.data.SeriesData}) or ode_demo's spiral ({@link dev.odeflow.driver.data.SpiralSeries}).
 */
package dev.odeflow.driver.data;
