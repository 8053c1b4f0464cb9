package dev.herald.client;

import java.net.URI;
import java.util.Map;

/**
 * One request of a source, as either transport sends it: the URL, the method, the body ({@code
 * null} for none) and the header values, each checked already and holding characters up to U+00FF
 * only, one byte each on the wire (a last event ID is there as the Latin-1 string of its UTF-8
 * bytes, S-47).
 */
record Request(URI uri, String method, byte[] body, Map<String, String> headers) {}
