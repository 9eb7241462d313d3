// Landscape report charts. Each <div data-chart="ID"> is drawn from the JSON block #ID that the
// page carries (Django's json_script): the chart is data, never script built from strings, so
// the served page keeps the platform's Content-Security-Policy. ECharts draws on canvas (its
// SVG text uses style attributes, which that policy forbids), at twice the screen's density so
// that a printout stays sharp; tooltips are drawn by ECharts itself for the same reason.
(function () {
  "use strict";

  const PALETTE = ["#0b3d91", "#c8102e", "#1f5fbf", "#067647", "#b54708", "#6b7385",
    "#5b8def", "#8e6cc1", "#2f9e8f", "#d98b1e"];
  const FONT = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", ' +
    '"Source Han Sans SC", system-ui, sans-serif';
  const PRINT_WIDTH = 640; // px at 96 dpi: an A4 page less its margins
  const charts = [];

  const number = (value) => (value === null || value === undefined
    ? "—" : Number(value).toLocaleString(undefined, { maximumFractionDigits: 2 }));
  const percent = (value) => (value === null || value === undefined
    ? "—" : (value * 100).toFixed(1).replace(/\.0$/, "") + "%");
  const formatter = (spec) => (spec.percent ? percent : number);
  const tooltip = (extra) => Object.assign({ renderMode: "richText", confine: true }, extra);

  function seriesOption(spec) {
    const format = formatter(spec);
    const legend = spec.series.length > 1;
    return {
      legend: legend ? { top: 0, type: "scroll" } : undefined,
      tooltip: tooltip({ trigger: "axis", valueFormatter: format }),
      grid: { left: 16, right: 24, top: legend ? 40 : 20, bottom: 16 },
      xAxis: { type: "category", data: spec.x, name: spec.x_title, nameLocation: "middle",
        nameGap: 28, axisTick: { alignWithLabel: true } },
      yAxis: { type: "value", axisLabel: { formatter: format } },
      series: spec.series.map((s) => ({
        name: s.name, type: spec.style, data: s.values, symbolSize: 6,
        barMaxWidth: 36, connectNulls: false,
      })),
    };
  }

  function barLabel(spec) {
    const format = formatter(spec);
    return (params) => {
      const share = spec.shares ? spec.shares[params.dataIndex] : null;
      return share === null || share === undefined || spec.percent
        ? format(params.value) : format(params.value) + " (" + percent(share) + ")";
    };
  }

  function rankingOption(spec) {
    return {
      tooltip: tooltip({ trigger: "axis", axisPointer: { type: "shadow" },
        valueFormatter: formatter(spec) }),
      grid: { left: 16, right: 96, top: 8, bottom: 16 },
      xAxis: { type: "value", name: spec.value_title, nameLocation: "middle", nameGap: 28,
        axisLabel: { formatter: formatter(spec) } },
      yAxis: { type: "category", data: spec.labels, inverse: true,
        axisLabel: { width: 240, overflow: "truncate", interval: 0 } },
      series: [{ type: "bar", name: spec.value_title, data: spec.values, barMaxWidth: 22,
        label: { show: true, position: "right", formatter: barLabel(spec) } }],
    };
  }

  function distributionOption(spec) {
    if (!spec.pie) return rankingOption(spec);
    return {
      tooltip: tooltip({ trigger: "item", valueFormatter: formatter(spec) }),
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie", name: spec.value_title, radius: ["38%", "66%"], center: ["50%", "46%"],
        data: spec.labels.map((label, i) => ({ name: label, value: spec.values[i] })),
        label: { formatter: "{b}: {d}%" },
      }],
    };
  }

  function matrixOption(spec) {
    return {
      tooltip: tooltip({ position: "top", formatter: (params) =>
        spec.y[params.value[1]] + " × " + spec.x[params.value[0]] + ": " +
        number(params.value[2]) }),
      grid: { left: 16, right: 96, top: 16, bottom: 48 },
      xAxis: { type: "category", data: spec.x, name: spec.x_title, nameLocation: "middle",
        nameGap: 32, splitArea: { show: true },
        axisLabel: { interval: 0, rotate: spec.x.length > 12 ? 45 : 0 } },
      yAxis: { type: "category", data: spec.y, inverse: true, splitArea: { show: true },
        axisLabel: { interval: 0, width: 200, overflow: "truncate" } },
      visualMap: { min: 0, max: spec.max || 1, calculable: true, orient: "vertical",
        right: 8, top: "middle", itemHeight: 140, text: [spec.value_title, ""],
        inRange: { color: ["#f3f7fd", "#5b8def", "#0b3d91"] } },
      series: [{ type: "heatmap", name: spec.value_title, data: spec.cells,
        label: { show: spec.cells.length <= 150, formatter: (p) => number(p.value[2]) } }],
    };
  }

  function networkOption(spec) {
    const largest = Math.max(1, ...spec.nodes.map((node) => node.value));
    const heaviest = Math.max(1, ...spec.links.map((link) => link.value));
    const labelled = new Set(spec.nodes.slice().sort((a, b) => b.value - a.value)
      .slice(0, 25).map((node) => node.name));
    return {
      tooltip: tooltip({ valueFormatter: number }),
      series: [{
        type: "graph", layout: "force", roam: true, draggable: true,
        force: { repulsion: 160, edgeLength: [40, 160], gravity: 0.08, layoutAnimation: false },
        emphasis: { focus: "adjacency" },
        data: spec.nodes.map((node) => ({
          name: node.name, value: node.value,
          symbolSize: 8 + 28 * Math.sqrt(node.value / largest),
          label: { show: labelled.has(node.name) },
        })),
        links: spec.links.map((link) => ({
          source: link.source, target: link.target, value: link.value,
          lineStyle: { width: 1 + 5 * (link.value / heaviest), opacity: 0.5 },
        })),
        label: { position: "right", fontSize: 11 },
      }],
    };
  }

  // Topic clusters as a ThemeScape-like map: one bubble per topic at its place on the plane
  // (related topics close together), its area proportional to its patents.
  function mapOption(spec) {
    const largest = Math.max(1, ...spec.points.map((point) => point.patents));
    const describe = (point) => point.name + "\n" + spec.value_title + ": " +
      number(point.patents) + (point.share === null ? "" : " (" + percent(point.share) + ")");
    const reach = 0.3 + Math.max(1, ...spec.points.map((point) =>
      Math.max(Math.abs(point.x), Math.abs(point.y))));
    const axis = { type: "value", min: -reach, max: reach, show: false };
    return {
      tooltip: tooltip({ trigger: "item",
        formatter: (params) => describe(spec.points[params.dataIndex]) }),
      grid: { left: 16, right: 16, top: 16, bottom: 16 },
      xAxis: axis,
      yAxis: axis,
      series: [{
        type: "scatter", name: spec.value_title,
        data: spec.points.map((point, i) => ({
          name: point.name, value: [point.x, point.y, point.patents],
          itemStyle: { color: PALETTE[i % PALETTE.length], opacity: 0.72,
            borderColor: "#ffffff", borderWidth: 1 },
        })),
        symbolSize: (value) => 14 + 66 * Math.sqrt(value[2] / largest),
        label: { show: true, position: "bottom", fontSize: 11, color: "#1d2433",
          formatter: (params) => spec.points[params.dataIndex].short },
        labelLayout: { hideOverlap: true },
        emphasis: { focus: "self", label: { fontWeight: "bold" } },
      }],
    };
  }

  const BUILDERS = { series: seriesOption, ranking: rankingOption,
    distribution: distributionOption, matrix: matrixOption, network: networkOption,
    map: mapOption };

  function optionFor(spec, font) {
    const build = spec && BUILDERS[spec.type];
    if (!build) return null;
    return Object.assign(
      { animation: false, color: PALETTE, textStyle: { fontFamily: font || FONT } }, build(spec));
  }

  function heightFor(spec) {
    if (spec.type === "ranking" || (spec.type === "distribution" && !spec.pie)) {
      return Math.max(220, 28 * spec.labels.length + 64);
    }
    if (spec.type === "matrix") return Math.max(320, 24 * spec.y.length + 120);
    if (spec.type === "network") return Math.min(560, Math.max(320, 160 + 10 * spec.nodes.length));
    if (spec.type === "map") return 440;
    return 340;
  }

  // An export (PDF, DOCX) names its web font and renderer on <body>: SVG for the PDF, so
  // that chart text is text in the embedded font; canvas for the DOCX's images.
  const exportFont = () => document.body.dataset.exportFont;
  const fontFor = () => (exportFont() ? '"' + exportFont() + '", ' + FONT : FONT);

  function specOf(element) {
    const block = document.getElementById(element.dataset.chart);
    return block ? JSON.parse(block.textContent).chart : null;
  }

  function draw(element) {
    const spec = specOf(element);
    const option = optionFor(spec, fontFor());
    if (!option) return;
    element.style.height = heightFor(spec) + "px";
    const chart = window.echarts.init(element, null, {
      renderer: document.body.dataset.renderer === "svg" ? "svg" : "canvas",
      devicePixelRatio: Math.max(window.devicePixelRatio || 1, 2),
    });
    chart.setOption(option);
    charts.push(chart);
  }

  function drawAll() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  // Every string a chart draws: a canvas never asks for web-font glyphs itself, so an
  // export loads them before it draws.
  function chartText() {
    const seen = new Set();
    const walk = (value) => {
      if (typeof value === "string") {
        for (const char of value) seen.add(char);
      } else if (value && typeof value === "object") {
        Object.values(value).forEach(walk);
      }
    };
    document.querySelectorAll("[data-chart]").forEach((element) => walk(specOf(element)));
    return Array.from(seen).join("") + "0123456789.,%—() ";
  }

  // What ipops calls before printing a PDF or taking the DOCX's chart images: the web font's
  // glyphs for every text on the page and in the charts loaded, then every chart drawn anew
  // with them. Resolves to the number of charts.
  function ready() {
    const family = exportFont();
    const text = chartText();
    const loads = family
      ? ["400", "700"].map((weight) => document.fonts.load(weight + ' 16px "' + family + '"', text))
      : [];
    return Promise.all(loads).then(() => document.fonts.ready).then(() => {
      charts.splice(0).forEach((chart) => chart.dispose());
      drawAll();
      return charts.length;
    });
  }

  // Each chart as a PNG data URL by the id of its data block (the DOCX's images).
  function images(pixelRatio) {
    const found = {};
    charts.forEach((chart) => {
      const element = chart.getDom();
      found[element.dataset.chart] = chart.getDataURL(
        { type: "png", pixelRatio: pixelRatio || 2, backgroundColor: "#ffffff" });
    });
    return found;
  }

  // A printout is narrower than the screen: redraw at the page's width, open every table,
  // and put both back afterwards.
  function preparePrint(printing) {
    charts.forEach((chart) => chart.resize(printing ? { width: PRINT_WIDTH } : undefined));
    document.querySelectorAll("details.report-table").forEach((details) => {
      if (printing && !details.open) {
        details.open = true;
        details.dataset.openedForPrint = "true";
      } else if (!printing && details.dataset.openedForPrint) {
        details.open = false;
        delete details.dataset.openedForPrint;
      }
    });
  }

  if (typeof window === "undefined" || typeof document === "undefined") {
    globalThis.ipopsLandscapeCharts = { optionFor, heightFor };
    return;
  }
  window.ipopsLandscape = { ready, images };
  window.addEventListener("beforeprint", () => preparePrint(true));
  window.addEventListener("afterprint", () => preparePrint(false));
  window.matchMedia("print").addEventListener("change", (event) => preparePrint(event.matches));
  let resizing = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => charts.forEach((chart) => chart.resize()), 150);
  });
  // An export draws its charts in ready(), once the web font is loaded: ECharts keeps the
  // widths it measured, and widths measured in a fallback font would misplace every label.
  const start = () => (exportFont() ? undefined : drawAll());
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
