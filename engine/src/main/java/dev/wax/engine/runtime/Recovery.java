package dev.wax.engine.runtime;

import dev.wax.engine.recovery.RecoveryStore;

/**
 * Recovery for one worker: the store its process resumes from and commits to, and how the
 * worker encodes its steps' state (in its own Python Context for Python flows).
 */
public record Recovery(RecoveryStore store, StateCodec codec) {}
