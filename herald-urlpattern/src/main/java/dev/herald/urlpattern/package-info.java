/**
 * A WHATWG URL Pattern (https://urlpattern.spec.whatwg.org/) on re2j: {@link
 * dev.herald.urlpattern.UrlPattern} compiles a pattern, tests URLs against it and extracts groups;
 * {@link dev.herald.urlpattern.UrlPatternResult} holds a match; {@link
 * dev.herald.urlpattern.UrlPatternException} reports an invalid pattern.
 *
 * <p>Regular expressions in patterns are JavaScript syntax, checked as JavaScript checks them and
 * compiled by re2j, whose matching time is linear in the input: no pattern a client sends can make
 * the hub spend super-linear time. The rest of the package follows the standard's algorithms: the
 * tokenizer, the pattern parser, the constructor string parser, the regular expression generator,
 * and canonicalization by a WHATWG URL parser of its own (java.net.URI follows RFC 3986, not the
 * URL Standard). See docs/urlpattern.md for the conformance figures and the deviations.
 */
package dev.herald.urlpattern;
