package dev.wax.engine.io;

/**
 * Where a dataflow's items come from. A source is either a {@link FixedPartitionedSource} (a fixed
 * set of named partitions spread over the workers, each resumable from a snapshot) or a {@link
 * DynamicSource} (one partition built on every worker, not resumable).
 */
public sealed interface Source permits FixedPartitionedSource, DynamicSource {}
