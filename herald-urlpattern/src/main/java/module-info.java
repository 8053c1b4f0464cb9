/**
 * A WHATWG URL Pattern for Java: {@link dev.herald.urlpattern.UrlPattern} compiles a pattern and
 * matches URLs against it in time linear in the input. Needs no other module.
 */
// re2j, the regular expression engine, names no module (no descriptor, no Automatic-Module-Name),
// so a descriptor that required it would require a name derived from its file name, which a later
// re2j may change. So it is not required: the published jar carries re2j relocated into the
// concealed package dev.herald.urlpattern.internal.re2j (the shade plugin, at package), and this
// module is compiled with re2j on the class path (--add-reads dev.herald.urlpattern=ALL-UNNAMED in
// the POM). See docs/releasing.md.
module dev.herald.urlpattern {
  exports dev.herald.urlpattern;
}
