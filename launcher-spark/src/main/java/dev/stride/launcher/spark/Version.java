package dev.stride.launcher.spark;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code --version}: this module's version, with the Spark and Java it runs on. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = "dev";
        try (InputStream in = Version.class.getResourceAsStream("/META-INF/maven/dev.stride/launcher-spark/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                v = p.getProperty("version", v);
            }
        } catch (IOException e) {
            // the version stays "dev"
        }
        return new String[] {"stride launcher-spark " + v + " (Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
                + ", Java " + Runtime.version() + ")"};
    }
}
