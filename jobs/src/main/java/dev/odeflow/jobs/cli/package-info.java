/**
 * The {@code odeflow} command line: argument parsing, the score, sample, predict, grad and bench subcommands,
 * solver overrides and CSV/Parquet input and output.
 */
package dev.odeflow.jobs.cli;
