package dev.stride.launcher.job;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseable;
import java.io.File;
import java.net.URL;
import java.nio.file.Path;

/**
 * HOCON's includer with two changes: {@code include file("x")} is relative to the including file,
 * as {@code include "x"} is (Typesafe Config takes it relative to the working directory), and
 * {@code include url(...)} is refused (no network at run time). {@link IncludeScan} has already
 * checked that every included file exists.
 */
final class RelativeIncluder implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL {
    private final ConfigIncluder fallback;

    RelativeIncluder(ConfigIncluder fallback) {
        this.fallback = fallback;
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder other) {
        return fallback == other ? this : new RelativeIncluder(other);
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
        return fallback.include(context, what);
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File what) {
        File file = what;
        if (!what.isAbsolute()) {
            // the only way to learn the including file's folder: HOCON names its sibling "."
            ConfigParseable dot = context.relativeTo(".");
            String folder = dot == null ? null : dot.origin().filename();
            if (folder != null) {
                file = Path.of(folder).normalize().resolve(what.getPath()).toFile();
            }
        }
        return ConfigFactory.parseFileAnySyntax(file, context.parseOptions()).root();
    }

    @Override
    public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
        throw new ConfigException.BadPath(what.toString(), "Stride reads no config over the network at run time:"
                + " download the file and include it by its path");
    }
}
