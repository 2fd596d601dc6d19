package io.tandem.resources;

/**
 * Outcome of a {@link ResourceOp}: {@code OK}/{@code FAILED} for start and stop (exit code 0 or not),
 * {@code RUNNING}/{@code NOT_RUNNING} for status (judged from the script's output as ResourceManager
 * does; a status call that fails counts as not running). {@code ADDRESS_IN_USE}: the start of an
 * address resource was not run because another host answered for the address (the duplicate-address
 * probe, docs/split-brain.md); it is not a failure of the resource.
 */
public enum OpResult {
    OK, FAILED, RUNNING, NOT_RUNNING, ADDRESS_IN_USE
}
