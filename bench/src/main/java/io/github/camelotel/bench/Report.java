package io.github.camelotel.bench;

import io.github.camelotel.bench.Results.Run;
import io.github.camelotel.bench.Results.Scenario;
import io.github.camelotel.load.LoadReport.Second;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** A run's Markdown (a line of facts, one table of the measured scenarios) and its plot. */
final class Report {

    private Report() {}

    static String markdown(Run run, String png) {
        var m = run.machine();
        StringBuilder md = new StringBuilder(String.format(
                Locale.ROOT,
                "# Benchmark %s\n\n%d cores, %s, %s; load average %s at the start, %s at the end; %.1f minutes;"
                        + " common rate %s/s; steady state: %s\n\n",
                run.date(),
                m.cores(),
                m.cpuModel(),
                m.java(),
                m.loadAtStart(),
                m.loadAtEnd(),
                run.minutes(),
                number(run.commonRate()),
                run.headline().steadyState()));
        List<String> processes = run.scenarios().isEmpty()
                ? List.of()
                : List.copyOf(run.scenarios().get(0).cpuMsPerPurchase().keySet());
        md.append("\n| block | mode | scenario | offered/s | completed/s | sustained | p50 ms | p99 ms"
                + " | CPU ms/purchase: apps | servers | ");
        processes.forEach(p -> md.append(p).append(" | "));
        md.append("\n|").append("---|".repeat(10 + processes.size()));
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
        }
        return md.append("\n\n![purchases and latency per second](")
                .append(png)
                .append(")\n")
                .toString();
    }

    static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }

    /** Purchases completed per second over the run, a colour per mode (latency: the table's p50 and p99). */
    static void plot(List<Scenario> scenarios, Path png) throws IOException {
        XYChart chart = new XYChartBuilder()
                .width(1400)
                .height(600)
                .title("Purchases completed per second (executor to app4-worker)")
                .xAxisTitle("minutes")
                .yAxisTitle("purchases/s")
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setXAxisDecimalPattern("0.0");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        long start =
                scenarios.stream().mapToLong(s -> s.load().startedAt()).min().orElse(0);
        List<Color> colors = List.of(new Color(0xC0392B), new Color(0x1E8449), new Color(0x2471A3));
        for (String mode : Benchmark.MODES) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Scenario scenario :
                    scenarios.stream().filter(s -> s.mode().equals(mode)).toList()) {
                for (Second second : scenario.load().seconds()) {
                    x.add((scenario.load().startedAt() + second.second() * 1000 - start) / 60000.0);
                    y.add((double) second.completed());
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(mode, x, y).setMarkerColor(colors.get(Benchmark.MODES.indexOf(mode)));
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
