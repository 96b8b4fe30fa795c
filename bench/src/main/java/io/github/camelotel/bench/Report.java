package io.github.camelotel.bench;

import io.github.camelotel.bench.ExecutorClient.Second;
import io.github.camelotel.bench.Results.Run;
import io.github.camelotel.bench.Results.Scenario;
import io.github.camelotel.bench.Results.Target;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** A run's Markdown (its facts, targets and one table of the measured scenarios) and its plot. */
final class Report {

    private Report() {}

    static String markdown(Run run, String png) {
        var m = run.machine();
        StringBuilder md = new StringBuilder(String.format(
                Locale.ROOT,
                "# Benchmark %s\n\n%d cores, %.1f GiB, %s, %s; load average %s at the start, %s at the end; %.1f minutes;"
                        + " common rate %s/s; steady state: %s\n\n",
                run.date(),
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
            String measured = t.measured() == null ? "not measured" : number(t.measured());
            String met = t.met() == null ? "–" : t.met() ? "met" : "not met";
            md.append(String.format(
                    "- %s: %s (%s %s): %s\n", t.name(), measured, t.atMost() ? "≤" : "≥", number(t.limit()), met));
        }
        List<String> processes = run.scenarios().isEmpty()
                ? List.of()
                : List.copyOf(run.scenarios().get(0).cpuMsPerPurchase().keySet());
        md.append("\n| block | mode | scenario | offered/s | completed/s | sustained | p50 ms | p99 ms"
                + " | CPU ms/purchase: apps | servers | ");
        processes.forEach(p -> md.append(p).append(" | "));
        md.append("apps GC ms/purchase |\n|").append("---|".repeat(11 + processes.size()));
        for (Scenario s : run.scenarios()) {
            md.append(String.format(
                    "\n| %d | %s | %s | %s | %s | %s | %d | %d | %s | %s | ",
                    s.block(),
                    s.mode(),
                    s.name(),
                    number(s.offeredRate()),
                    number(s.completedRate()),
                    s.sustained() ? "yes" : s.verdict(),
                    s.load().latencyMs().p50(),
                    s.load().latencyMs().p99(),
                    number(s.cpuMs().apps()),
                    number(s.cpuMs().servers())));
            processes.forEach(p ->
                    md.append(number(s.cpuMsPerPurchase().getOrDefault(p, 0.0))).append(" | "));
            md.append(number(s.appsGcMsPerPurchase())).append(" |");
        }
        return md.append("\n\n![purchases and latency per second](")
                .append(png)
                .append(")\n")
                .toString();
    }

    static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }

    /** Purchases completed per second (left axis) and end-to-end latency p99 per second (right axis), per mode. */
    static void plot(List<Scenario> scenarios, Path png) throws IOException {
        XYChart chart = new XYChartBuilder()
                .width(1400)
                .height(600)
                .title("Purchases completed per second and end-to-end latency p99 (executor to app4-worker)")
                .xAxisTitle("minutes")
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setXAxisDecimalPattern("0.0");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.setYAxisGroupTitle(0, "purchases/s");
        chart.setYAxisGroupTitle(1, "p99 ms");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        long start =
                scenarios.stream().mapToLong(s -> s.load().startedAt()).min().orElse(0);
        for (String mode : Benchmark.MODES) {
            Color color = mode.equals(Benchmark.ON)
                    ? new Color(0xC0392B)
                    : mode.equals(Benchmark.FLOOR) ? new Color(0x1E8449) : new Color(0x2471A3);
            List<Scenario> shown =
                    scenarios.stream().filter(s -> s.mode().equals(mode)).toList();
            add(chart, "completed/s, " + mode, 0, color, shown, start, Second::completed);
            add(
                    chart,
                    "p99 ms, " + mode,
                    1,
                    color.brighter().brighter(),
                    shown,
                    start,
                    s -> s.latencyMs().p99());
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** One series: a value per second of the scenarios (seconds without one left out). */
    private static void add(
            XYChart chart,
            String name,
            int axis,
            Color color,
            List<Scenario> scenarios,
            long start,
            ToLongFunction<Second> value) {
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
            series.setYAxisGroup(axis);
            series.setMarkerColor(color);
        }
    }
}
