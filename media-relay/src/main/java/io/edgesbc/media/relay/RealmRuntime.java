package io.edgesbc.media.relay;

/**
 * A realm's configuration with its port pool.
 *
 * @param config the configuration
 * @param pool   its free ports
 */
record RealmRuntime(RealmConfig config, PortPool pool) {
}
