// The cockpit's views by a chosen indicator and its drill-downs, drawn by cockpit.js from the
// API's answers: the 12 districts as tiles coloured by the indicator (cockpitRanking's values),
// the city-level hospitals ranked by it, and a hospital's month and days over the page.
(function () {
  'use strict';

  var $ = function (id) {
    return document.getElementById(id);
  };
  var element = CockpitTables.element;
  var count = function (value) {
    return value === null || value === undefined ? '/' : Number(value).toLocaleString('en-US');
  };
  var yuan = function (fen) {
    return fen === null || fen === undefined ? '/' : (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  };
  var days = function (value) {
    return value === null || value === undefined ? '/' : `${value.toFixed(1)} 天`;
  };

  /** The API's indicators (CockpitIndicator), their labels and how their values read. */
  var INDICATORS = [
    ['OUTPATIENT_EMERGENCY_VISITS', '门急诊人次 Visits', count],
    ['ADMISSIONS', '入院人次 Admissions', count],
    ['DISCHARGES', '出院人次 Discharges', count],
    ['AVERAGE_STAY_DAYS', '平均住院日 Average stay', days],
    ['OUTPATIENT_REVENUE_PER_VISIT', '门急诊次均费用(元) Revenue per visit', yuan],
    ['INPATIENT_REVENUE_PER_DISCHARGE', '出院者次均费用(元) Revenue per discharge', yuan],
    ['VERIFIED_RECORDS', '核验记录 Verified records', count],
    ['REALTIME_UPLOAD_DAYS', '实时上传天数 Real-time days', count],
    ['REALTIME_FORMS_UPLOADED', '实时表单 Forms received', count],
    ['REFERRALS', '双向转诊 Referrals', count],
  ];
  var indicatorOf = function (code) {
    return (
      INDICATORS.find(function (indicator) {
        return indicator[0] === code;
      }) || INDICATORS[0]
    );
  };

  function fillIndicators(select) {
    INDICATORS.forEach(function (indicator) {
      var option = element('option', indicator[1]);
      option.value = indicator[0];
      select.appendChild(option);
    });
  }

  /** Blue from light (least) to dark (most); grey for a district with nothing to show. */
  function shade(value, max) {
    if (value === null) return null;
    var level = max > 0 ? value / max : 0;
    return `hsl(214, 70%, ${Math.round(94 - level * 56)}%)`;
  }

  /** The 12 districts as tiles, in the registry's order, coloured by the indicator; `selected` outlined. */
  function districtTiles(ranking, selected) {
    var grid = $('district-tiles');
    grid.replaceChildren();
    var rows = ranking ? ranking.districts : [];
    var format = indicatorOf(ranking?.indicator)[2];
    var max = Math.max.apply(
      null,
      [0].concat(
        rows.map(function (entry) {
          return entry.value || 0;
        }),
      ),
    );
    var order = (ranking ? ranking.order : []) || [];
    order.forEach(function (district) {
      var entry = rows.find(function (row) {
        return row.row.district === district;
      }) || { rank: null, value: null };
      var tile = element('button', undefined, 'tile');
      tile.type = 'button';
      tile.dataset.key = district;
      var colour = shade(entry.value, max);
      if (colour) tile.style.background = colour;
      else tile.classList.add('none');
      if (entry.value !== null && max > 0 && entry.value / max > 0.55) tile.classList.add('dark');
      tile.classList.toggle('selected', district === selected);
      tile.append(
        element('span', district, 'name'),
        element('span', format(entry.value), 'value'),
        element('span', entry.rank ? `#${entry.rank}` : '—', 'rank'),
      );
      grid.appendChild(tile);
    });
    if (order.length === 0) grid.appendChild(element('p', '暂无数据 No data', 'no-data-inline'));
  }

  /** The city-level hospitals ranked by the indicator: rank, name, value; the top ones shown, all on demand. */
  function ranking(answer, top) {
    var entries = answer ? answer.hospitals : [];
    var indicator = indicatorOf(answer?.indicator);
    var table = $('ranking');
    table.replaceChildren();
    var head = element('thead');
    var headRow = element('tr');
    ['名次 Rank', '医院 Hospital', indicator[1]].forEach(function (header) {
      headRow.appendChild(element('th', header));
    });
    head.appendChild(headRow);
    var body = element('tbody');
    entries.forEach(function (entry, index) {
      var organization = entry.row.organization || { code: '?', name: '?' };
      var tr = element('tr', undefined, index >= top ? 'beyond-top' : '');
      tr.dataset.key = organization.code;
      [entry.rank ? String(entry.rank) : '—', organization.name, indicator[2](entry.value)].forEach(function (cell) {
        tr.appendChild(element('td', cell));
      });
      body.appendChild(tr);
    });
    if (entries.length === 0) {
      var empty = element('tr', undefined, 'empty-row');
      empty.dataset.key = 'none';
      var cell = element('td', '暂无数据 No data');
      cell.colSpan = 3;
      empty.appendChild(cell);
      body.appendChild(empty);
    }
    table.append(head, body);
    $('ranking-indicator').textContent = indicator[1];
    CockpitTables.allButton('ranking-panel', entries.length);
  }

  /** A hospital's month: its figures, its days and its twelve months, over the page until closed. */
  function hospital(name, month, rows, dayRows) {
    var row = rows.length ? rows[rows.length - 1] : {};
    $('hospital-title').textContent = `${name} · ${month}`;
    var figures = [
      ['门急诊人次 Outpatient and emergency visits', count(row.outpatientVisits === undefined ? undefined : row.outpatientVisits + row.emergencyVisits)],
      ['入院人次 Admissions', count(row.admissions)],
      ['出院人次 Discharges', count(row.discharges)],
      ['平均住院日 Average stay', days(row.averageStayDays)],
      ['门急诊次均费用(元) Revenue per visit', yuan(row.outpatientRevenuePerVisitFen)],
      ['出院者次均费用(元) Revenue per discharge', yuan(row.inpatientRevenuePerDischargeFen)],
      ['定时上传记录 Scheduled records', count(row.scheduledUploadRecords)],
      ['核验记录 Verified records', count(row.verifiedRecords)],
      ['实时上传天数 Real-time days', count(row.realtimeUploadDays)],
      ['实时表单 Real-time forms', row.realtimeFormsTotal ? `${row.realtimeFormsUploaded}/${row.realtimeFormsTotal}` : '/'],
    ];
    var table = $('hospital-month');
    table.replaceChildren();
    var body = element('tbody');
    figures.forEach(function (figure) {
      var tr = element('tr');
      tr.dataset.key = figure[0];
      tr.append(element('td', figure[0]), element('td', figure[1]));
      body.appendChild(tr);
    });
    table.appendChild(body);
    $('hospital-panel').hidden = false;
    CockpitCharts.hospital(dayRows, rows);
  }

  window.CockpitViews = { indicators: INDICATORS, fillIndicators: fillIndicators, districtTiles: districtTiles, ranking: ranking, hospital: hospital };
})();
