package dev.wax.engine.io;

/**
 * Where a dataflow's items go. A {@link FixedPartitionedSink} takes {@code (key, value)} items and
 * routes each key to one of a fixed set of partitions; a {@link DynamicSink} writes items on the
 * worker that holds them.
 */
public sealed interface Sink permits FixedPartitionedSink, DynamicSink {}
