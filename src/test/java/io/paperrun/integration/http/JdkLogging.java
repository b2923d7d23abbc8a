package io.paperrun.integration.http;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Sends everything java.util.logging sees (OkHttp logs there) to SLF4J, and back to normal. */
public final class JdkLogging {

    private static final Logger ROOT = LogManager.getLogManager().getLogger("");

    private static Level before;

    private JdkLogging() {}

    public static synchronized void forwardEverything() {
        before = ROOT.getLevel();
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        ROOT.setLevel(Level.ALL);
    }

    public static synchronized void restore() {
        SLF4JBridgeHandler.uninstall();
        ROOT.setLevel(before);
    }
}
