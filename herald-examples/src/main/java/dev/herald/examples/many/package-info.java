/**
 * The many demo: ten event sources on one page, over HTTP/1.1 and HTTP/2. See {@link
 * dev.herald.examples.many.ManyDemo}.
 */
package dev.herald.examples.many;
