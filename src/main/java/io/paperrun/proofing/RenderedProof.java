package io.paperrun.proofing;

/**
 * A recipient's proof: the print-ready two-page PDF (front, then back, each the artwork size) and a PNG preview of
 * the front.
 */
public record RenderedProof(byte[] pdf, byte[] previewPng) {}
