package io.edgesbc.server.scenarios;

import io.edgesbc.testing.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One SIPp process of the scenario suite, running a scenario of src/test/resources/sipp/suite on
 * loopback with its message log (-trace_msg) and its statistics (-trace_stat) in a work directory.
 * Every run is bounded: {@code -m} calls, SIPp's own {@code -timeout}, and {@link #await} kills it.
 */
final class SippPeer {

    static final String HOST = "127.0.0.1";

    /** How a SIPp run ended: its exit code and its final counts of calls. */
    record Outcome(int exitCode, long successful, long failed, String output) {
        boolean allSucceeded() {
            return exitCode == 0;
        }
    }

    private final String name;
    private final Process process;
    private final Path work;
    private final int port;
    private final List<String> command;

    private SippPeer(String name, Process process, Path work, int port, List<String> command) {
        this.name = name;
        this.process = process;
        this.work = work;
        this.port = port;
        this.command = command;
    }

    /** A SIPp UAS on {@code HOST:port} (UDP) that exits after {@code calls} calls. */
    static SippPeer uas(String name, String scenario, String side, int port, int calls, String... extra)
            throws IOException {
        List<String> cmd = base(scenario, side, port, calls);
        cmd.addAll(List.of("-t", "u1"));
        cmd.addAll(List.of(extra));
        SippPeer peer = start(name, cmd, port);
        LoopbackPorts.awaitUdpBound(port, peer.process, Duration.ofSeconds(20), peer::outputOrWhy);
        return peer;
    }

    /** A SIPp UAC from {@code HOST:localPort} to {@code HOST:remotePort} over "u1" or "t1". */
    static SippPeer uac(String name, String scenario, String transport, int localPort, int remotePort, int calls,
            int rate, String... extra) throws IOException {
        List<String> cmd = base(scenario, "uac", localPort, calls);
        cmd.addAll(List.of("-t", transport, "-r", Integer.toString(rate)));
        cmd.addAll(List.of(extra));
        cmd.add(HOST + ":" + remotePort);
        return start(name, cmd, localPort);
    }

    private static List<String> base(String scenario, String side, int port, int calls) {
        String file = Path.of("src/test/resources/sipp/suite", scenario, side + ".xml").toAbsolutePath().toString();
        return new ArrayList<>(List.of("sipp", "-sf", file, "-m", Integer.toString(calls), "-i", HOST, "-p",
                Integer.toString(port), "-timeout_error", "-nostdin", "-trace_err",
                "-trace_stat", "-stf", "stat.csv", "-fd", "1"));
    }

    private static SippPeer start(String name, List<String> base, int port) throws IOException {
        Path work = Files.createTempDirectory("sipp-" + name);
        List<String> cmd = new ArrayList<>(base);
        if (!cmd.contains("-timeout")) {
            cmd.addAll(List.of("-timeout", "40s")); // every SIPp run is bounded
        }
        cmd.addAll(List.of("-trace_msg", "-message_file", work.resolve("messages.log").toString()));
        Process process = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("sipp.out").toFile()).start();
        return new SippPeer(name, process, work, port, cmd);
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** Waits for SIPp to exit, killing it after {@code seconds} (then the outcome's exit code is -1). */
    Outcome await(int seconds) throws IOException, InterruptedException {
        int exit;
        if (process.waitFor(seconds, TimeUnit.SECONDS)) {
            exit = process.exitValue();
        } else {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            exit = -1;
        }
        long[] counts = counts();
        String output = (exit == -1 ? "SIPp did not finish within " + seconds + " s\n" : "") + command + "\n"
                + output();
        return new Outcome(exit, counts[0], counts[1], output);
    }

    void kill() {
        process.destroyForcibly();
    }

    SippMessageLog log() throws IOException {
        Path messages = work.resolve("messages.log");
        return SippMessageLog.parse(Files.exists(messages) ? Files.readString(messages) : "");
    }

    TopologyCheck.Side side() throws IOException {
        return new TopologyCheck.Side(name, log(), HOST, port);
    }

    /** SuccessfulCall(C) and FailedCall(C) of the last line of -trace_stat. */
    private long[] counts() throws IOException {
        Path stat = work.resolve("stat.csv");
        if (!Files.exists(stat)) {
            return new long[] {-1, -1};
        }
        List<String> lines = Files.readAllLines(stat);
        if (lines.size() < 2) {
            return new long[] {-1, -1};
        }
        String[] names = lines.get(0).split(";");
        String[] last = lines.get(lines.size() - 1).split(";");
        long ok = -1;
        long failed = -1;
        for (int i = 0; i < names.length && i < last.length; i++) {
            if (names[i].equals("SuccessfulCall(C)")) {
                ok = Long.parseLong(last[i].trim());
            } else if (names[i].equals("FailedCall(C)")) {
                failed = Long.parseLong(last[i].trim());
            }
        }
        return new long[] {ok, failed};
    }

    private String output() throws IOException {
        StringBuilder out = new StringBuilder();
        Path console = work.resolve("sipp.out");
        if (Files.exists(console)) {
            String text = Files.readString(console);
            out.append(text.length() > 4000 ? text.substring(text.length() - 4000) : text);
        }
        try (var files = Files.list(work)) {
            for (Path p : files.filter(f -> f.toString().endsWith("_errors.log")).toList()) {
                String text = Files.readString(p);
                out.append("\n--- ").append(p.getFileName()).append('\n')
                        .append(text.length() > 4000 ? text.substring(0, 4000) : text);
            }
        }
        return out.toString();
    }

    /** A port free on loopback for UDP and TCP, outside the ranges the kernel and the relay hand out. */
    static int freePort() throws IOException {
        return LoopbackPorts.free();
    }

    private String outputOrWhy() {
        try {
            return command + "\n" + output();
        } catch (IOException e) {
            return command + "\n(no SIPp output: " + e + ")";
        }
    }
}
