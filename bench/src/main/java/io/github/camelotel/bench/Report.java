package io.github.camelotel.bench;

import io.github.camelotel.bench.ExecutorClient.Second;
import io.github.camelotel.bench.Results.Block;
import io.github.camelotel.bench.Results.Run;
import io.github.camelotel.bench.Results.Scenario;
import io.github.camelotel.bench.Results.Target;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A run's Markdown (its facts, targets and one table of the measured scenarios) and its plot. */
final class Report {

    private Report() {}

    static String markdown(Run run, String png) {
        StringBuilder md = new StringBuilder("# Benchmark " + run.date() + "\n\n");
        var m = run.machine();
        md.append(String.format(
                Locale.ROOT,
                "%d cores, %.1f GiB, %s, %s; load average %s at the start, %s at the end; %.1f minutes; common rate %s/s;"
                        + " steady state: %s\n\n",
                m.cores(),
                m.memoryGiB(),
                m.cpuModel(),
                m.java(),
                m.loadAtStart(),
                m.loadAtEnd(),
                run.minutes(),
                number(run.commonRate()),
                run.headline().steadyState()));
        for (Target t : run.targets()) {
            md.append(String.format(
                    "- %s: %s (%s %s): %s\n",
                    t.name(),
                    t.measured() == null ? "not measured" : number(t.measured()),
                    t.atMost() ? "≤" : "≥",
                    number(t.limit()),
                    t.met() == null ? "–" : t.met() ? "met" : "not met"));
        }
        run.ioPerPurchase()
                .forEach((mode, parity) -> md.append("- I/O per purchase, " + mode + " (" + parity.purchases()
                        + " purchases): " + parity.perPurchase() + "\n"));
        for (Block b : run.blocks()) {
            md.append(String.format(
                    "- block %d (%s): warm-up %s after %s s; apps CPU ms per purchase per window: %s\n",
                    b.block(),
                    b.mode(),
                    b.warmUp().met() ? "met" : "not met",
                    number(b.warmUp().seconds()),
                    b.warmUp().windows().stream()
                            .map(w -> number(w.appsCpuMsPerPurchase()) + " at " + number(w.rate()) + "/s")
                            .toList()));
        }
        List<String> processes = run.scenarios().isEmpty()
                ? List.of()
                : List.copyOf(run.scenarios().get(0).cpuMsPerPurchase().keySet());
        md.append(
                "\n| block | mode | scenario | offered/s | completed/s | sustained | p50 ms | p99 ms | CPU ms/purchase: apps"
                        + " | servers | ");
        processes.forEach(p -> md.append(p).append(" | "));
        md.append("apps GC ms/purchase | other cores |\n|");
        md.append("---|".repeat(12 + processes.size())).append('\n');
        for (Scenario s : run.scenarios()) {
            md.append(String.format(
                    "| %d | %s | %s | %s | %s | %s | %d | %d | %s | %s | ",
                    s.block(),
                    s.mode(),
                    s.name(),
                    number(s.offeredRate()),
                    number(s.completedRate()),
                    s.sustained() ? "yes" : s.verdict(),
                    s.load().latencyMs().p50(),
                    s.load().latencyMs().p99(),
                    number(s.appsCpuMs()),
                    number(s.serversCpuMs())));
            processes.forEach(p ->
                    md.append(number(s.cpuMsPerPurchase().getOrDefault(p, 0.0))).append(" | "));
            md.append(number(s.appsGcMsPerPurchase()))
                    .append(" | ")
                    .append(number(s.otherCores()))
                    .append(" |\n");
        }
        return md.append("\n![purchases and latency per second](")
                .append(png)
                .append(")\n")
                .toString();
    }

    static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }

    /** Purchases per second (sent, completed) above, end-to-end latency p50 and p99 per second below (log scale). */
    static void plot(List<Scenario> scenarios, Path png) throws IOException {
        int width = 1400;
        int height = 420;
        long start =
                scenarios.stream().mapToLong(s -> s.load().startedAt()).min().orElse(0);
        XYChart throughput = chart("Purchases per second", "purchases/s", false);
        XYChart latency = chart("End-to-end latency (executor to app4-worker's completion)", "ms (log)", true);
        for (String mode : Benchmark.MODES) {
            Color color = mode.equals(Benchmark.ON)
                    ? new Color(0xC0392B)
                    : mode.equals(Benchmark.FLOOR) ? new Color(0x1E8449) : new Color(0x2471A3);
            List<Scenario> shown =
                    scenarios.stream().filter(s -> s.mode().equals(mode)).toList();
            add(
                    throughput,
                    "sent, " + mode,
                    shown,
                    start,
                    Second::sent,
                    color.brighter().brighter());
            add(throughput, "completed, " + mode, shown, start, Second::completed, color);
            add(
                    latency,
                    "p50, " + mode,
                    shown,
                    start,
                    s -> s.latencyMs().p50(),
                    color.brighter().brighter());
            add(latency, "p99, " + mode, shown, start, s -> s.latencyMs().p99(), color);
        }
        BufferedImage image = new BufferedImage(width, 2 * height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        throughput.paint(graphics, width, height);
        graphics.translate(0, height);
        latency.paint(graphics, width, height);
        graphics.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static XYChart chart(String title, String yTitle, boolean log) {
        XYChart chart = new XYChartBuilder()
                .title(title)
                .xAxisTitle("minutes")
                .yAxisTitle(yTitle)
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false); // labels between the powers of ten too
        return chart;
    }

    /** One series: a value per second of the scenarios (none that is 0: a log scale has no 0). */
    private static void add(
            XYChart chart,
            String name,
            List<Scenario> scenarios,
            long start,
            ToLongFunction<Second> value,
            Color color) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            for (Second second : scenario.load().seconds()) {
                if (value.applyAsLong(second) > 0) {
                    x.add((scenario.load().startedAt() + second.second() * 1000 - start) / 60000.0);
                    y.add((double) value.applyAsLong(second));
                }
            }
        }
        if (!x.isEmpty()) {
            XYSeries series = chart.addSeries(name, x, y);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(color);
        }
    }
}
