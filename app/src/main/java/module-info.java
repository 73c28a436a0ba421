/**
 * Stride's command line: {@code train}, {@code test}, {@code list}, {@code inspect}, on top of
 * {@code dev.stride.launcher}, which finds the providers and plans the job.
 */
module dev.stride.app {
    requires dev.stride.launcher;
    requires info.picocli;
    requires java.desktop;
    // stride test's confusion_matrix.png
    requires org.knowm.xchart;

    // Main, for launchers that start the command line
    exports dev.stride.app;
    opens dev.stride.app to info.picocli;
}
