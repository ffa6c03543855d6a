/* The report's behaviour: filters that redraw the charts, a month's reports filtered as the chart
   that linked to them, and tables that sort and search. Nothing here fetches anything: the data is
   in the page and Vega is the bundled static/vega.js. */
"use strict";
const civcas = (() => {
  const number = (value) => value === null || value === undefined ? "not reported" : value.toLocaleString("en");

  /* The filter values, read from the form or from a month page's query string. */
  function filtersOf(source) {
    const get = (name) => source instanceof URLSearchParams ? source.get(name) : source.elements[name].value;
    return {country: get("country") || "all", belligerent: get("belligerent") || "all",
            source: get("source") || "all", grading: get("grading") || "all",
            from: get("from") || "0000-00", to: get("to") || "9999-99"};
  }

  function gradingMatches(filters, grading, headline) {
    return filters.grading === "all" || (filters.grading === "headline" ? headline : grading === filters.grading);
  }

  function monthsBetween(first, last) {
    const months = [];
    let [year, month] = first.split("-").map(Number);
    for (;;) {
      const key = `${year}-${String(month).padStart(2, "0")}`;
      if (key > last) return months;
      months.push(key);
      month += 1;
      if (month > 12) { month = 1; year += 1; }
    }
  }

  /* Each source's monthly sums over the rows of rpt_monthly_harm the filters select; a month
     without a row has no figure (null), so that the chart leaves a gap. Sources are not added. */
  function monthlySeries(data, filters) {
    const sums = new Map();
    for (const [month, country, source, grading, headline, belligerent, reports, low, high] of data.monthly) {
      if (filters.country !== "all" && country !== filters.country) continue;
      if (filters.source !== "all" && source !== filters.source) continue;
      if (!gradingMatches(filters, grading, headline)) continue;
      if (filters.belligerent === "all" ? belligerent !== null : belligerent !== filters.belligerent) continue;
      if (month < filters.from || month > filters.to) continue;
      const key = `${source}|${month}`;
      const sum = sums.get(key) || {reports: 0, low: 0, high: 0};
      sum.reports += reports; sum.low += low; sum.high += high;
      sums.set(key, sum);
    }
    const sources = filters.source === "all" ? data.sources : [filters.source];
    const query = new URLSearchParams({country: filters.country, belligerent: filters.belligerent,
                                       source: "", grading: filters.grading});
    const rows = [];
    for (const source of sources) {
      const covered = [...sums.keys()].filter((key) => key.startsWith(`${source}|`)).map((key) => key.split("|")[1]);
      if (!covered.length) continue;
      for (const month of monthsBetween(covered.reduce((a, b) => a < b ? a : b), covered.reduce((a, b) => a > b ? a : b))) {
        const sum = sums.get(`${source}|${month}`);
        query.set("source", source);
        rows.push({month: `${month}-01`, source, reports: sum ? sum.reports : null,
                   killed_min: sum ? sum.low : null, killed_max: sum ? sum.high : null,
                   href: sum ? `months/${month}.html?${query}` : null});
      }
    }
    return rows;
  }

  /* Reports per governorate and the points of the map, under the same filters. Every report of
     the selection counts, whatever its source or scope. The governorates' counts come grouped
     (a row per month, country, source, grading, belligerents and governorate, with its number of
     reports); the points one per report, or none when the warehouse has more than the page
     carries (data.points is null). */
  function mapData(data, filters) {
    const codes = data.codes;
    function selected(month, countryCode, sourceCode, gradingCode, headline, belligerentCodes) {
      if (filters.country !== "all" && codes.country[countryCode] !== filters.country) return false;
      if (filters.source !== "all" && codes.source[sourceCode] !== filters.source) return false;
      if (!gradingMatches(filters, codes.grading[gradingCode], headline)) return false;
      if (filters.belligerent !== "all" && !belligerentCodes.some((code) => codes.belligerent[code] === filters.belligerent)) return false;
      return month >= filters.from && month <= filters.to;
    }
    const counts = new Map();
    for (const [month, country, source, grading, headline, belligerents, admin1Code, reports] of data.areas) {
      if (!selected(month, country, source, grading, headline, belligerents)) continue;
      const admin1 = codes.admin1[admin1Code];
      counts.set(admin1, (counts.get(admin1) || 0) + reports);
    }
    const points = [];
    for (const [month, country, source, grading, headline, belligerents, lat, lon, otherPage, anchor, place, killed] of data.points || []) {
      if (!selected(month, country, source, grading, headline, belligerents)) continue;
      const page = otherPage || month;
      points.push({lat, lon, source: codes.source[source], place, date: month, killed, href: `events/${page}.html#${anchor}`});
    }
    return {counts: [...counts].map(([admin1_code, reports]) => ({admin1_code, reports})), points};
  }

  async function index(data) {
    const form = document.getElementById("filters");
    const monthlyElement = document.getElementById("monthly-chart");
    const mapElement = document.getElementById("map-chart");
    const options = {renderer: "svg", actions: false};
    const monthly = (await vegaEmbed(monthlyElement, data.monthly_spec, options)).view;
    const mapSpec = Object.assign({}, data.map_spec, {width: mapElement.clientWidth,
                                                    height: Math.min(520, Math.round(mapElement.clientWidth * 0.8))});
    const map = (await vegaEmbed(mapElement, mapSpec, options)).view;
    document.getElementById("zoom-in").onclick = () => map.signal("zoom", Math.min(map.signal("zoom") * 1.5, 40)).runAsync();
    document.getElementById("zoom-out").onclick = () => map.signal("zoom", Math.max(map.signal("zoom") / 1.5, 0.7)).runAsync();
    document.getElementById("zoom-reset").onclick = () => map.signal("zoom", 1).signal("pan", [0, 0]).runAsync();

    async function redraw() {
      const filters = filtersOf(form);
      const series = monthlySeries(data, filters);
      await monthly.data("series", series).resize().runAsync();  // axes sized to the new figures
      const totals = new Map();
      for (const row of series.filter((each) => each.reports !== null)) {
        const total = totals.get(row.source) || {reports: 0, low: 0, high: 0};
        total.reports += row.reports; total.low += row.killed_min; total.high += row.killed_max;
        totals.set(row.source, total);
      }
      document.getElementById("monthly-summary").textContent = totals.size
        ? [...totals].map(([source, t]) => `${source}: ${t.reports.toLocaleString("en")} incident reports, civilians killed ${number(t.low)}–${number(t.high)}`).join("; ")
        : "No report in the selection.";
      const {counts, points} = mapData(data, filters);
      await map.data("counts", counts).data("points", points).runAsync();
      const byArea = new Map(counts.map((row) => [row.admin1_code, row.reports]));
      // Every row, those a search has taken out of the table too.
      const admin1 = lists.get("admin1-table");
      for (const row of admin1 ? admin1.items.map((item) => item.elm) : []) {
        const cell = row.cells[2];
        cell.textContent = cell.dataset.text = (byArea.get(row.dataset.admin1) || 0).toLocaleString("en");
      }
      document.body.dataset.ready = "true";
    }
    form.addEventListener("change", redraw);
    await redraw();
  }

  /* A month's reports as the chart selected them, with each source's sums: the chart's figure. */
  function month() {
    const filters = filtersOf(new URLSearchParams(location.search));
    const sums = new Map();
    let shown = 0;
    for (const row of document.querySelectorAll("#reports-table tbody tr")) {
      const d = row.dataset;
      const match = (filters.country === "all" || d.country === filters.country)
        && (filters.source === "all" || d.source === filters.source)
        && gradingMatches(filters, d.grading, d.headline === "true")
        && (filters.belligerent === "all" || d.belligerents.split(" ").includes(filters.belligerent));
      row.hidden = !match;
      if (!match) continue;
      shown += 1;
      if (d.summed !== "true") continue;
      const sum = sums.get(d.source) || {reports: 0, low: 0, high: 0};
      sum.reports += 1; sum.low += Number(d.min || 0); sum.high += Number(d.max || 0);
      sums.set(d.source, sum);
    }
    const chosen = Object.entries(filters).filter(([key, value]) => value !== "all" && value !== "" && !["from", "to"].includes(key));
    document.getElementById("selection").textContent = chosen.length
      ? `${shown.toLocaleString("en")} reports shown, selected by ${chosen.map(([key, value]) => `${key} = ${value}`).join(", ")} (the chart's filters).`
      : `${shown.toLocaleString("en")} reports: every report of the month.`;
    const list = document.getElementById("sums");
    for (const [source, sum] of sums) {
      const item = document.createElement("li");
      item.dataset.source = source;
      item.textContent = `${source}: ${sum.reports.toLocaleString("en")} incident reports, civilians killed ${number(sum.low)}–${number(sum.high)} (sum of minima to sum of maxima)`;
      list.append(item);
    }
  }

  /* Every table.sortable sorts by a header's column and is searched by its search box, through
     List.js (static/list.min.js): it works on the table's own rows, so their data-* attributes
     (read by the month filters and the map) stay. Each cell's text is its searchable value; a
     sort reads a cell's data-sort first, and numbers sort as numbers ("1,234", "37–62" by 62). */
  function sortKey(cell) {
    const text = cell.dataset.sort ?? cell.textContent.trim();
    const value = Number(text.replace(/,/g, "").split("–").pop());
    return text !== "" && !Number.isNaN(value) ? value : text.toLowerCase();
  }

  function compare(x, y) {
    return typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === "number" ? -1 : 1);
  }

  function listOf(table) {
    const names = [...table.tHead.rows[0].cells].map((_, column) => `c${column}`);
    for (const row of table.tBodies[0].rows) {
      [...row.cells].forEach((cell, column) => {
        cell.classList.add(names[column]);
        cell.dataset.text = cell.textContent.trim();
      });
    }
    table.tBodies[0].classList.add("list");
    return new List(table, {valueNames: names.map((name) => ({name, attr: "data-text"}))});
  }

  const lists = new Map();  // table id: its List
  document.querySelectorAll("table.sortable").forEach((table) => {
    if (!table.tBodies[0].rows.length) return;  // nothing to sort (List.js needs a first row)
    const list = listOf(table);
    lists.set(table.id, list);
    table.querySelectorAll("th").forEach((header, column) => header.addEventListener("click", () => {
      const order = header.getAttribute("aria-sort") === "ascending" ? "desc" : "asc";
      table.querySelectorAll("th").forEach((other) => other.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", order === "asc" ? "ascending" : "descending");
      list.sort(`c${column}`, {order, sortFunction: (a, b) => compare(sortKey(a.elm.cells[column]), sortKey(b.elm.cells[column]))});
    }));
    const search = document.querySelector(`input.table-search[data-table="${table.id}"]`);
    if (search) search.addEventListener("input", () => list.search(search.value.trim()));
  });
  return {index, month, monthlySeries};
})();
