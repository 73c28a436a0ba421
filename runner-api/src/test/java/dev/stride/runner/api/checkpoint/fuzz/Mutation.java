package dev.stride.runner.api.checkpoint.fuzz;

/** The ways the fuzzer damages a checkpoint file. */
enum Mutation {
    /** One bit flipped, in the header or the data. */
    BIT_FLIP("bit flip"),
    /** The high bit set in a few header bytes: invalid UTF-8 inside the JSON. */
    HIGH_BITS("invalid UTF-8"),
    /** A few bytes replaced by random or JSON-significant values. */
    BYTE_REPLACEMENT("byte replacement"),
    /** A 512-byte disk sector overwritten with zeros, 0xFF or noise. */
    DAMAGED_SECTOR("damaged sector"),
    /** The file cut short. */
    TRUNCATION("truncation"),
    /** Bytes inserted. */
    INSERTION("insertion"),
    /** Bytes removed. */
    DELETION("deletion"),
    /** The 8-byte header length rewritten. */
    HEADER_LENGTH("header-length rewrite"),
    /** The header text edited (numbers, tokens, spans), with a matching header length. */
    HEADER_TEXT("header text edit"),
    /** The header JSON edited (shapes, offsets, dtypes, metadata), with a matching header length. */
    HEADER_JSON("header JSON edit"),
    /** A header text or JSON edit whose checksum is then recomputed, as a forger would. */
    FORGED("edit with recomputed checksum");

    final String words;

    Mutation(String words) {
        this.words = words;
    }
}
