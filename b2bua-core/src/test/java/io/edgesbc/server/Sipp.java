package io.edgesbc.server;

import io.edgesbc.testing.LoopbackPorts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs SIPp (Debian package sip-tester, installed by `./edgesbc test`) as a real, independent SIP
 * peer against a running server.
 */
final class Sipp {

    record Result(int exitCode, String output) {
        /** SIPp exits 0 when every call of the scenario succeeded. */
        boolean allCallsSucceeded() {
            return exitCode == 0;
        }
    }

    private Sipp() {
    }

    /** A SIPp run with its message log (-trace_msg): every message it sent and received. */
    record Run(Process process, Path work, Path messages, List<String> command) {
        long pid() {
            return process.pid();
        }

        /** Waits for SIPp to exit (it does after its -m calls), killing it after {@code seconds}. */
        Result await(int seconds) throws IOException, InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "SIPp did not finish within " + seconds + " s: " + command + "\n"
                        + output());
            }
            return new Result(process.exitValue(), output());
        }

        void kill() {
            process.destroyForcibly();
        }

        /** Everything SIPp sent and received, as logged. */
        String messageLog() throws IOException {
            return Files.exists(messages) ? Files.readString(messages) : "";
        }

        private String outputOrWhy() {
            try {
                return command + "\n" + output();
            } catch (IOException e) {
                return command + "\n(no SIPp output: " + e + ")";
            }
        }

        private String output() throws IOException {
            StringBuilder output = new StringBuilder(Files.readString(work.resolve("sipp.out")));
            try (var files = Files.list(work)) {
                for (Path p : files.filter(f -> f.toString().endsWith("_errors.log")).toList()) {
                    output.append("\n--- ").append(p.getFileName()).append('\n').append(Files.readString(p));
                }
            }
            return output.toString();
        }
    }

    /**
     * Starts SIPp in the background as a UAS on {@code 127.0.0.1:port} (UDP) with {@code scenario}
     * (under src/test/resources/sipp); it exits after {@code calls} calls.
     */
    static Run startUas(String scenario, int port, int calls) throws IOException {
        return startUas(scenario, port, calls, new String[0]);
    }

    /** As above, with more SIPp options (e.g. {@code -key rtp_port 4000} for a [rtp_port] keyword). */
    static Run startUas(String scenario, int port, int calls, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sipp", "-sf", scenarioPath(scenario), "-m",
                Integer.toString(calls), "-t", "u1", "-i", "127.0.0.1", "-p", Integer.toString(port), "-timeout",
                "30s", "-nostdin", "-trace_err"));
        cmd.addAll(List.of(extra));
        Run run = start(cmd, null);
        // The caller sends to this port next: wait until SIPp has bound it, or report why it did not.
        LoopbackPorts.awaitUdpBound(port, run.process(), Duration.ofSeconds(20), run::outputOrWhy);
        return run;
    }

    /** Starts SIPp in the background as a UAC from {@code 127.0.0.1:localPort} to {@code 127.0.0.1:port} (UDP). */
    static Run startUac(String scenario, int localPort, int port, int calls, int rate) throws IOException {
        return startUac(scenario, localPort, port, calls, rate, new String[0]);
    }

    /** As above, with more SIPp options (e.g. {@code -s USER}: the [service] of the Request-URI). */
    static Run startUac(String scenario, int localPort, int port, int calls, int rate, String... extra)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sipp", "-sf", scenarioPath(scenario), "-m",
                Integer.toString(calls), "-r", Integer.toString(rate), "-t", "u1", "-i", "127.0.0.1", "-p",
                Integer.toString(localPort), "-timeout", "30s", "-nostdin", "-trace_err"));
        cmd.addAll(List.of(extra));
        return start(cmd, "127.0.0.1:" + port);
    }

    private static String scenarioPath(String scenario) {
        return Path.of("src/test/resources/sipp", scenario).toAbsolutePath().toString();
    }

    private static Run start(List<String> base, String remote) throws IOException {
        Path work = Files.createTempDirectory("sipp");
        Path messages = work.resolve("messages.log");
        List<String> cmd = new ArrayList<>(base);
        cmd.addAll(List.of("-trace_msg", "-message_file", messages.toString()));
        if (remote != null) {
            cmd.add(remote);
        }
        Process process = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("sipp.out").toFile()).start();
        return new Run(process, work, messages, cmd);
    }

    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "sipp"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code scenario} (a file under src/test/resources/sipp) as UAC against {@code port} on
     * loopback: {@code calls} calls at {@code rate} per second over "u1" (UDP) or "t1" (TCP).
     */
    static Result uac(String scenario, String transport, int port, int calls, int rate, String... extra)
            throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("sipp");
        List<String> cmd = new ArrayList<>(List.of("sipp", "-sf",
                Path.of("src/test/resources/sipp", scenario).toAbsolutePath().toString(),
                "-m", Integer.toString(calls), "-r", Integer.toString(rate), "-t", transport,
                "-i", "127.0.0.1", "-p", "0", "-timeout", "30s", "-nostdin", "-trace_err"));
        cmd.addAll(List.of(extra));
        cmd.add("127.0.0.1:" + port);
        Process process = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("sipp.out").toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("SIPp did not finish within 60 s: " + cmd);
        }
        StringBuilder output = new StringBuilder(Files.readString(work.resolve("sipp.out")));
        try (var files = Files.list(work)) {
            for (Path p : files.filter(f -> f.toString().endsWith("_errors.log")).toList()) {
                output.append("\n--- ").append(p.getFileName()).append('\n').append(Files.readString(p));
            }
        }
        return new Result(process.exitValue(), output.toString());
    }
}
