package com.example.textutils;

/** A library a plugin depends on. */
public final class Slug {
    private Slug() {}

    public static String of(String text) {
        return text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
