package io.github.camelotel.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG of a run: purchases per second (sent and completed) on top, end-to-end latency p50 and p99 per second
 * below (log scale), over the minutes of the run, the pipeline with tracing on and off and the floor in different colours.
 */
final class Plot {

    private static final int WIDTH = 1400;
    private static final int HEIGHT = 420;

    private Plot() {}

    static void write(List<Scenario> scenarios, Path png) throws IOException {
        long start = scenarios.stream()
                .mapToLong(s -> s.startedAt)
                .filter(t -> t > 0)
                .min()
                .orElse(0);
        XYChart throughput = chart("Purchases per second", "purchases/s", false);
        XYChart latency = chart("End-to-end latency per second (executor → app4-worker)", "ms (log)", true);
        for (String tracing : Benchmark.MODES) {
            Color strong = switch (tracing) {
                case Benchmark.ON -> new Color(0xC0392B);
                case Benchmark.FLOOR -> new Color(0x1E8449);
                default -> new Color(0x2471A3);
            };
            Color light = switch (tracing) {
                case Benchmark.ON -> new Color(0xF1948A);
                case Benchmark.FLOOR -> new Color(0x82E0AA);
                default -> new Color(0x85C1E9);
            };
            List<Map<String, Object>> rows = new ArrayList<>();
            scenarios.stream().filter(s -> s.tracing.equals(tracing)).forEach(s -> rows.addAll(s.seconds_));
            String label = Benchmark.FLOOR.equals(tracing) ? "floor" : "tracing " + tracing;
            add(throughput, "sent, " + label, rows, start, r -> r.get("sent"), light, false);
            add(throughput, "completed, " + label, rows, start, r -> r.get("completed"), strong, false);
            add(latency, "p50, " + label, rows, start, r -> r.get("p50"), light, true);
            add(latency, "p99, " + label, rows, start, r -> r.get("p99"), strong, true);
        }
        BufferedImage image = new BufferedImage(WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        throughput.paint(graphics, WIDTH, HEIGHT);
        graphics.translate(0, HEIGHT);
        latency.paint(graphics, WIDTH, HEIGHT);
        graphics.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static XYChart chart(String title, String yTitle, boolean log) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle("minutes into the run")
                .yAxisTitle(yTitle)
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
        return chart;
    }

    private static void add(
            XYChart chart,
            String name,
            List<Map<String, Object>> rows,
            long start,
            Function<Map<String, Object>, Object> value,
            Color color,
            boolean positiveOnly) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            double v = ((Number) value.apply(row)).doubleValue();
            if (positiveOnly && v <= 0) {
                continue; // a second without completions has no latency (and log scales have no 0)
            }
            x.add((((Number) row.get("t")).longValue() - start) / 60000.0);
            y.add(v);
        }
        if (x.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(color);
    }
}
