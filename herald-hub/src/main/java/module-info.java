/**
 * Herald's Mercure hub. For now it holds only the WHATWG URL Pattern implementation (package {@code
 * dev.herald.hub.urlpattern}) that the hub will use for {@code match_urlpattern} and for topic
 * selectors; the hub's API package comes later.
 */
// Nothing is exported yet: the URL Pattern is an implementation detail of the hub, whose API
// package does not exist yet; exporting it now would make it public API by accident.
// re2j ships no module descriptor and no Automatic-Module-Name, so "re2j" is its file-name-derived
// automatic module name, which javac's requires-automatic lint warns about.
@SuppressWarnings("requires-automatic")
module dev.herald.hub {
  requires re2j;
}
