/**
 * A WHATWG URL Pattern for Java (<a href="https://urlpattern.spec.whatwg.org/">URL Pattern
 * Standard</a>, JavaScript's {@code URLPattern}), on re2j: matching takes time linear in the URL
 * whatever the pattern, so patterns may come from untrusted clients.
 *
 * <h2>Quick start</h2>
 *
 * <pre>{@code
 * UrlPattern books = UrlPattern.compile("https://example.com/books/:id(\\d+)");
 * books.test("https://example.com/books/42");                  // true
 * books.test("https://example.com/books/forty-two");           // false
 *
 * UrlPatternResult match = books.exec("https://example.com/books/42").orElseThrow();
 * match.pathname().input();                                    // "/books/42"
 * match.pathname().group("id");                                // "42"
 *
 * // Relative to a base URL, component by component, ignoring case:
 * UrlPattern.compile("/books/*", "https://example.com");
 * UrlPattern.compile(
 *     UrlPattern.Init.builder().hostname("{*.}?example.com").pathname("/books/*").build());
 * UrlPattern.compile("https://example.com/Books/*", UrlPattern.Options.ignoreCase(true));
 * }</pre>
 *
 * <h2>The types</h2>
 *
 * <ul>
 *   <li>{@link dev.herald.urlpattern.UrlPattern}: a compiled pattern; {@code test} and {@code exec}
 *       a URL (a string, optionally with a base URL, or a {@link
 *       dev.herald.urlpattern.UrlPattern.Init} given component by component). Immutable and
 *       thread-safe.
 *   <li>{@link dev.herald.urlpattern.UrlPattern.Init}: a pattern or a URL component by component
 *       (the standard's {@code URLPatternInit}), built with {@code Init.builder()}; {@link
 *       dev.herald.urlpattern.UrlPattern.Options}: {@code ignoreCase}.
 *   <li>{@link dev.herald.urlpattern.UrlPatternResult}: what {@code exec} matched, per component
 *       its input and its groups. Immutable.
 *   <li>{@link dev.herald.urlpattern.UrlPatternException}: an invalid pattern (the standard's
 *       {@code TypeError}), unchecked, thrown only when compiling; its subclass {@link
 *       dev.herald.urlpattern.UrlPatternLimitExceededException} names the limit a pattern went
 *       past.
 * </ul>
 *
 * <h2>Limits</h2>
 *
 * <p>A pattern has at most {@value dev.herald.urlpattern.UrlPattern#MAX_PATTERN_LENGTH} characters,
 * and each component compiles to at most {@value dev.herald.urlpattern.UrlPattern#MAX_PROGRAM_SIZE}
 * re2j instructions and spells out at most {@value
 * dev.herald.urlpattern.UrlPattern#MAX_CLASS_RANGES} character class ranges. So matching a URL
 * costs at most {@value dev.herald.urlpattern.UrlPattern#MAX_PROGRAM_SIZE} steps per character, and
 * compiling is bounded too.
 *
 * <h2>Deviations</h2>
 *
 * <p>Regexp groups are JavaScript syntax (the {@code v} flag), checked as JavaScript checks them;
 * what re2j cannot match in linear time (lookaround, backreferences) is refused when compiling.
 * Hostname patterns with a forbidden host code point ({@code example.com/x}) are refused rather
 * than truncated. The rest of the package follows the standard's algorithms, with a WHATWG URL
 * parser of its own ({@code java.net.URI} follows RFC 3986, not the URL Standard). The README of
 * herald-urlpattern lists every deviation and the conformance figure (web-platform-tests).
 */
package dev.herald.urlpattern;
