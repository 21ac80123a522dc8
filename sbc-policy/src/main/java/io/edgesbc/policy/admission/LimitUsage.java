package io.edgesbc.policy.admission;

/** A snapshot of one concurrent-call limit, for gauges. */
public record LimitUsage(Scope scope, String name, int inUse, int limit) {}
