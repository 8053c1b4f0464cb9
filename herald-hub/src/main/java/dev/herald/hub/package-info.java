/**
 * Herald's Mercure hub: {@link dev.herald.hub.Hub}, to run standalone ({@code ./herald hub}) or
 * embedded in an application.
 *
 * <h2>Quick start</h2>
 *
 * <pre>{@code
 * try (Hub hub = Hub.builder()
 *         .server(ServerSettings.builder().port(8080).build())
 *         .verifier(verifier)                    // or .accessPolicy(policy)
 *         .store(SqliteUpdateStore.builder().path(Path.of("data/herald.db")).build())
 *         .build()
 *         .start()) {
 *   hub.publish(Update.of("https://example.com/books/1", "{\"title\":\"Dune\"}")).join();
 * }
 * }</pre>
 *
 * <h2>Configuration</h2>
 *
 * <p>{@link dev.herald.hub.Hub.Builder#build()} copies the builder into one immutable
 * configuration: changing the builder later changes no hub. How the hub serves connections is the
 * server's own {@code ServerSettings} ({@code Hub.Builder.server}), so every server option is
 * reachable and checked in one place. Collaborators come in through the builder — the access policy
 * (or the token verifier of the default one), the update store, a {@code MeterRegistry}, the replay
 * and timer executors — and the hub closes only those it made itself (and the store and verifier it
 * was given, whose lifetime is the hub's).
 *
 * <h2>Inside</h2>
 *
 * <p>One class per job, each package-private: {@code SubscribeEndpoint}, {@code PublishEndpoint},
 * {@code OperationsEndpoint} and {@code DashboardEndpoint} (the dashboard's page and JSON, its
 * history read by {@code DashboardHistory}) answer HTTP; {@code Authorization} asks the access
 * policy and answers its refusals; {@code Subscriber} is one subscription's interest, asked about
 * every update live and on replay; {@code Subscriptions} is the Active Subscriptions feature;
 * {@code HubLog} is the broadcaster's view of the store.
 *
 * <h2>Packages</h2>
 *
 * <p>{@code dev.herald.hub.mercure} holds what every package shares (updates, topic matchers, the
 * exception family {@link dev.herald.hub.mercure.HubException}) and imports none of the others;
 * {@code auth} (the access policy, tokens) and {@code store} (history) import it and never this
 * package. Failures are unchecked {@code HubException}s: {@code AccessDeniedException} and its
 * {@code TokenException}, {@code UpdateStoreException}, {@link
 * dev.herald.hub.HubOverloadedException}.
 *
 * <p>{@code Hub} is thread-safe; its builder is not.
 */
package dev.herald.hub;
