/**
 * The {@code herald bench} command ({@link dev.herald.bench.cli.BenchCommand}), which herald-cli
 * lists among its subcommands.
 */
package dev.herald.bench.cli;
