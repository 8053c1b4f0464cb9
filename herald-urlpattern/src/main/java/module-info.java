/**
 * A WHATWG URL Pattern for Java: {@link dev.herald.urlpattern.UrlPattern} compiles a pattern and
 * matches URLs against it in time linear in the input. Depends on re2j only.
 */
// re2j ships no module descriptor and no Automatic-Module-Name, so "re2j" is its file-name-derived
// automatic module name.
@SuppressWarnings("requires-automatic")
module dev.herald.urlpattern {
  requires re2j;

  exports dev.herald.urlpattern;
}
