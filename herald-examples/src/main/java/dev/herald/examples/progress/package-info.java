/**
 * The progress demo: a long job's progress, and {@code 204} to stop the browser reconnecting. See
 * {@link dev.herald.examples.progress.ProgressDemo}.
 */
package dev.herald.examples.progress;
