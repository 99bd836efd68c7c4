using System.Globalization;
using System.Text;

namespace ChatApp.Bench;

/// <summary>A point of a line chart; Low and High draw a whisker (the lowest and highest run) when they differ from Y.</summary>
public readonly record struct ChartPoint(double X, double Y, double Low, double High)
{
    public ChartPoint(double x, double y) : this(x, y, y, y)
    {
    }
}

/// <summary>Minimal SVG charts: a line chart (optionally log axes, with whiskers) and a horizontal bar chart.</summary>
public static class Svg
{
    private static readonly string[] Colors = ["#4f46e5", "#dc2626", "#059669", "#d97706", "#0891b2", "#7c3aed", "#db2777", "#65a30d"];
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static string F(double value) => value.ToString("0.##", Invariant);

    private static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);

    public static string LineChart(string title, string xLabel, string yLabel, Dictionary<string, List<(double X, double Y)>> series, bool logX = false, bool logY = false) =>
        LineChart(title, xLabel, yLabel, series.ToDictionary(s => s.Key, s => s.Value.Select(p => new ChartPoint(p.X, p.Y)).ToList()), logX, logY);

    public static string LineChart(string title, string xLabel, string yLabel, Dictionary<string, List<ChartPoint>> series, bool logX = false, bool logY = false)
    {
        const int width = 640, height = 360, left = 60, right = 170, top = 40, bottom = 50;
        var points = series.Values.SelectMany(s => s).Where(p => !double.IsNaN(p.Y) && p.Y > 0).ToList();
        if (points.Count == 0)
        {
            return $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"80\"><text x=\"10\" y=\"40\">{Escape(title)}: no data</text></svg>";
        }
        double Tx(double x) => logX ? Math.Log10(x) : x;
        double Ty(double y) => logY ? Math.Log10(Math.Max(y, 0.1)) : y;
        var (x0, x1) = (points.Min(p => Tx(p.X)), points.Max(p => Tx(p.X)));
        var (y0, y1) = (logY ? Math.Floor(points.Min(p => Ty(Math.Min(p.Y, p.Low)))) : 0, points.Max(p => Ty(Math.Max(p.Y, p.High))));
        if (x1 == x0) { x1 = x0 + 1; }
        if (y1 <= y0) { y1 = y0 + 1; }
        y1 = logY ? Math.Ceiling(y1) : y1 * 1.1;
        double Px(double x) => left + (Tx(x) - x0) / (x1 - x0) * (width - left - right);
        double Py(double y) => height - bottom - (Ty(y) - y0) / (y1 - y0) * (height - top - bottom);
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/><text x=\"{left}\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>");
        svg.Append($"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"#333\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"#333\"/>");
        var yTicks = logY ? Enumerable.Range((int)y0, (int)(y1 - y0) + 1).Select(e => Math.Pow(10, e)) : Enumerable.Range(0, 5).Select(i => y1 * i / 4);
        foreach (var tick in yTicks)
        {
            var y = Py(tick);
            svg.Append($"<line x1=\"{left}\" y1=\"{F(y)}\" x2=\"{width - right}\" y2=\"{F(y)}\" stroke=\"#eee\"/><text x=\"{left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{F(tick)}</text>");
        }
        foreach (var x in points.Select(p => p.X).Distinct().Order())
        {
            svg.Append($"<text x=\"{F(Px(x))}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{F(x)}</text>");
        }
        svg.Append($"<text x=\"{(left + width - right) / 2}\" y=\"{height - 12}\" text-anchor=\"middle\">{Escape(xLabel)}</text>");
        svg.Append($"<text x=\"14\" y=\"{(top + height - bottom) / 2}\" transform=\"rotate(-90 14 {(top + height - bottom) / 2})\" text-anchor=\"middle\">{Escape(yLabel)}</text>");
        var i = 0;
        foreach (var (name, data) in series)
        {
            var color = Colors[i % Colors.Length];
            var valid = data.Where(p => !double.IsNaN(p.Y) && p.Y > 0).OrderBy(p => p.X).ToList();
            svg.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', valid.Select(p => $"{F(Px(p.X))},{F(Py(p.Y))}"))}\"/>");
            foreach (var p in valid.Where(p => p.Low < p.High))
            {
                svg.Append($"<line x1=\"{F(Px(p.X))}\" y1=\"{F(Py(p.Low))}\" x2=\"{F(Px(p.X))}\" y2=\"{F(Py(p.High))}\" stroke=\"{color}\" stroke-width=\"1.5\"/>");
            }
            foreach (var p in valid)
            {
                svg.Append($"<circle cx=\"{F(Px(p.X))}\" cy=\"{F(Py(p.Y))}\" r=\"3\" fill=\"{color}\"><title>{Escape(name)}: {F(p.Y)}</title></circle>");
            }
            svg.Append($"<rect x=\"{width - right + 12}\" y=\"{top + 18 * i}\" width=\"12\" height=\"12\" fill=\"{color}\"/><text x=\"{width - right + 30}\" y=\"{top + 18 * i + 10}\">{Escape(name)}</text>");
            i++;
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    public static string BarChart(string title, IReadOnlyList<(string Label, double Value)> bars)
    {
        const int width = 640, left = 230, right = 80, barHeight = 24, top = 40;
        var height = top + bars.Count * (barHeight + 8) + 20;
        var max = bars.Count == 0 ? 1 : Math.Max(bars.Max(b => b.Value), 1e-9);
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/><text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>");
        for (var i = 0; i < bars.Count; i++)
        {
            var y = top + i * (barHeight + 8);
            var w = bars[i].Value / max * (width - left - right);
            svg.Append($"<text x=\"{left - 8}\" y=\"{y + 16}\" text-anchor=\"end\">{Escape(bars[i].Label)}</text>");
            svg.Append($"<rect x=\"{left}\" y=\"{y}\" width=\"{F(Math.Max(w, 1))}\" height=\"{barHeight}\" fill=\"{Colors[i % Colors.Length]}\"/>");
            svg.Append($"<text x=\"{F(left + w + 6)}\" y=\"{y + 16}\">{F(bars[i].Value)}</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }
}
