package dev.anytimenn.eval.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import org.knowm.xchart.internal.chartpart.Annotation;

/** A small text label drawn a few pixels up and right of a data point (XChart annotation). */
final class PointLabel extends Annotation {

    private static final int OFFSET_PX = 6;

    private final String text;
    private final double x;
    private final double y;
    private final Color color;

    PointLabel(String text, double x, double y, Color color) {
        super(false); // data coordinates
        this.text = text;
        this.x = x;
        this.y = y;
        this.color = color;
    }

    @Override
    public void paint(Graphics2D g) {
        if (!isVisible) {
            return;
        }
        Object aa = g.getRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING);
        Font oldFont = g.getFont();
        Color oldColor = g.getColor();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        Font font = styler.getAnnotationTextFont();
        g.setFont(font);
        g.setColor(color);
        FontMetrics fm = g.getFontMetrics(font);
        int sx = getXAxisScreenValue(x) + OFFSET_PX;
        int sy = getYAxisScreenValue(y) - OFFSET_PX;
        g.drawString(text, sx, sy);
        bounds = new Rectangle2D.Double(sx, sy - fm.getAscent(), fm.stringWidth(text), fm.getHeight());
        g.setFont(oldFont);
        g.setColor(oldColor);
        if (aa != null) {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, aa);
        }
    }
}
