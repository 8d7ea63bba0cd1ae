package dev.wax.engine.api;

import dev.wax.engine.window.WindowMeta;

/**
 * The three streams of a window step: results, late values (both {@code KV(key, Windowed)}) and
 * one metadata item per closed window.
 */
public record WindowOut<V, R>(
    KeyedStream<Windowed<R>> down, KeyedStream<Windowed<V>> late, KeyedStream<WindowMeta> meta) {}
