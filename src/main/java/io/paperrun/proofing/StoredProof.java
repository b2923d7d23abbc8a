package io.paperrun.proofing;

/**
 * Where a stored proof is, as the recipient's {@code proof_front}, {@code proof_back} and {@code preview} hold it: a
 * path relative to the data directory (or absolute, outside it), or a URL. Front and back may name one two-page PDF.
 */
public record StoredProof(String front, String back, String preview) {}
