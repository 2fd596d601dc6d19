package io.tandem.resources;

/** A peer's status as the membership layer reports it. */
public enum PeerStatus {
    INIT, UP, ACTIVE, DEAD
}
