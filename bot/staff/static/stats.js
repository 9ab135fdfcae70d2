/* The statistics screen's charts: reads /console/api/stats (same query as the page) and draws each
   chart with the vendored ECharts (echarts.min.js, loaded before this file). No inline script: the page's
   CSP allows scripts from this site only. Tooltips render in the canvas (richText), never as HTML. */
(function () {
  "use strict";
  var COLORS = ["#0b4f9c", "#f0a500", "#2e7d32", "#b3261e", "#6a1b9a", "#00838f", "#5d4037", "#8a94a6"];
  var EMPTY = "暂无数据";

  function base(empty) {
    var option = {
      color: COLORS,
      animation: false,
      aria: { enabled: true },
      textStyle: { fontFamily: "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif", fontSize: 14 },
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 16, right: 56, top: 44, bottom: 24, containLabel: true }
    };
    if (empty) {
      option.graphic = [{ type: "text", left: "center", top: "middle",
                          style: { text: EMPTY, fontSize: 18, fill: "#4a5365" } }];
    }
    return option;
  }

  function perDay(data, stack) {
    var series = (data.series || []).map(function (s) {
      return { name: s.name, type: "bar", stack: stack, data: s.values, barMaxWidth: 28 };
    });
    var option = base(!data.total);
    option.legend = { top: 0 };
    option.xAxis = { type: "category", data: data.days.map(function (d) { return d.slice(5); }) };
    option.yAxis = { type: "value", minInterval: 1 };
    option.series = series.length ? series : [{ type: "bar", data: [] }];
    return option;
  }

  function bars(names, values, horizontal, unit, empty) {
    var option = base(empty);
    var category = { type: "category", data: names, axisLabel: { interval: 0, fontSize: 13 } };
    var value = { type: "value", minInterval: 1, axisLabel: { formatter: "{value}" + (unit || "") } };
    option.tooltip.trigger = "item";
    option.xAxis = horizontal ? value : category;
    option.yAxis = horizontal ? category : value;
    if (horizontal) { option.yAxis.inverse = true; }
    option.series = [{ type: "bar", data: values, barMaxWidth: 32, colorBy: "data",
                       label: { show: true, position: horizontal ? "right" : "top",
                                formatter: "{c}" + (unit || "") } }];
    return option;
  }

  var CHARTS = {
    messages: function (d) { return d.messages && perDay(d.messages, "channel"); },
    emergencies: function (d) { return d.emergencies && perDay(d.emergencies, "all"); },
    intents: function (d) {
      var names = d.intents.map(function (i) { return i.name; });
      var values = d.intents.map(function (i) { return i.value; });
      return bars(names, values, true, "", !values.some(function (v) { return v > 0; }));
    },
    rates: function (d) {
      if (!d.rates) { return null; }
      var known = d.rates.filter(function (r) { return r.value !== null; });
      return bars(known.map(function (r) { return r.name.split("（")[0]; }),
                  known.map(function (r) { return r.value; }), true, "%", !known.length);
    },
    referrals: function (d) {
      var r = d.referrals;
      var option = base(!r.townships.length);
      option.legend = { top: 0 };
      option.tooltip.axisPointer = { type: "shadow" };
      option.xAxis = { type: "category", data: r.townships, axisLabel: { interval: 0, rotate: r.townships.length > 8 ? 30 : 0 } };
      option.yAxis = { type: "value", minInterval: 1 };
      option.series = r.series.length ? r.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "status", data: s.values, barMaxWidth: 40 };
      }) : [{ type: "bar", data: [] }];
      return option;
    },
    timings: function (d) {
      var known = d.timings.filter(function (t) { return t.hours !== null; });
      return bars(d.timings.map(function (t) { return t.name; }),
                  d.timings.map(function (t) { return t.hours === null ? "-" : t.hours; }), false, " 小时", !known.length);
    },
    overdue: function (d) {
      var o = d.overdue.townships;
      return bars(o.map(function (x) { return x[0]; }), o.map(function (x) { return x[1]; }), true, "",
                  !d.overdue.total);
    }
  };

  function draw(data) {
    var drawn = [];
    Object.keys(CHARTS).forEach(function (name) {
      var box = document.getElementById("chart-" + name);
      if (!box) { return; }
      var option = CHARTS[name](data);
      if (!option) { return; }
      var bars = name === "intents" ? data.intents.length : 0;
      if (bars > 10) { box.classList.add("tall"); }   // many intents: room for each bar
      var chart = window.echarts.init(box, null, { renderer: "canvas" });
      chart.setOption(option);
      box.setAttribute("data-drawn", "1");
      drawn.push(chart);
    });
    window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
    document.getElementById("charts").setAttribute("data-ready", "1");
  }

  function fail() {
    var root = document.getElementById("charts");
    var note = document.createElement("p");
    note.className = "notice error";
    note.setAttribute("role", "alert");
    note.textContent = "图表数据没有取到（可能登录已过期），请刷新页面。下面的数据表不受影响。";
    root.parentNode.insertBefore(note, root);
    root.setAttribute("data-ready", "failed");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("charts");
    if (!root || !window.echarts) { return; }
    fetch(root.getAttribute("data-source"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(draw)
      .catch(fail);
  });
}());
