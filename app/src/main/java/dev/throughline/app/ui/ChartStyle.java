package dev.throughline.app.ui;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.title.LegendTitle;

import java.awt.Color;
import java.awt.Font;

/** Makes a JFreeChart match the workbench theme (JFreeChart draws with AWT, outside the CSS). */
final class ChartStyle {
    private ChartStyle() {
    }

    static void apply(JFreeChart chart, boolean dark) {
        Color bg = dark ? new Color(0x25, 0x27, 0x2c) : Color.WHITE;
        Color fg = dark ? new Color(0xd8, 0xdb, 0xe2) : new Color(0x2b, 0x2f, 0x36);
        Color grid = dark ? new Color(0x3a, 0x3e, 0x46) : new Color(0xe3, 0xe6, 0xeb);
        Font tick = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        chart.setBackgroundPaint(bg);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getPlot() instanceof CategoryPlot plot) {
            plot.setBackgroundPaint(bg);
            plot.setOutlineVisible(false);
            plot.setRangeGridlinePaint(grid);
            plot.setDomainGridlinesVisible(false);
            for (Axis a : new Axis[] {plot.getDomainAxis(), plot.getRangeAxis()}) {
                a.setLabelPaint(fg);
                a.setTickLabelPaint(fg);
                a.setAxisLinePaint(grid);
                a.setTickMarkPaint(grid);
                a.setTickLabelFont(tick);
                a.setLabelFont(label);
            }
        }
        if (chart.getPlot() instanceof org.jfree.chart.plot.XYPlot plot) {
            plot.setBackgroundPaint(bg);
            plot.setOutlineVisible(false);
            plot.setRangeGridlinePaint(grid);
            plot.setDomainGridlinePaint(grid);
            java.util.List<Axis> axes = new java.util.ArrayList<>();
            for (int i = 0; i < plot.getDomainAxisCount(); i++) {
                axes.add(plot.getDomainAxis(i));
            }
            for (int i = 0; i < plot.getRangeAxisCount(); i++) {
                axes.add(plot.getRangeAxis(i));
            }
            for (Axis a : axes) {
                if (a == null) {
                    continue;
                }
                a.setLabelPaint(fg);
                a.setTickLabelPaint(fg);
                a.setAxisLinePaint(grid);
                a.setTickMarkPaint(grid);
                a.setTickLabelFont(tick);
                a.setLabelFont(label);
            }
            for (Object m : plot.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND) == null ? java.util.List.of()
                    : plot.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND)) {
                ((org.jfree.chart.plot.Marker) m).setLabelPaint(fg);
            }
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setBackgroundPaint(bg);
            legend.setItemPaint(fg);
            legend.setItemFont(tick);
            legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
    }
}
