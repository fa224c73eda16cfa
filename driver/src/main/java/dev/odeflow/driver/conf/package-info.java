/**
 * Job configuration: {@link dev.odeflow.driver.conf.JobConf} reads {@code key = value} job files and
 * command-line overrides; {@link dev.odeflow.driver.conf.TrainConfig} is the validated, immutable training
 * configuration built from it. Every key is listed in {@link dev.odeflow.driver.conf.TrainKey} and in
 * {@code driver/DRIVER.md}.
 */
package dev.odeflow.driver.conf;
