// The cockpit's tables and figure cards, filled from the API's answer by cockpit.js: counts
// with thousands separators, money in yuan from the API's fen, '/' where nothing reported, the
// long tables' top rows with the rest in the opened panel. Text goes in as text, never as markup.
(function () {
  'use strict';

  var $ = function (id) {
    return document.getElementById(id);
  };

  // ---- formatting: counts with thousands separators, money from fen to yuan, '/' for not reported ----
  var count = function (value) {
    return value === null || value === undefined ? '/' : Number(value).toLocaleString('en-US');
  };
  var yuan = function (fen) {
    return fen === null || fen === undefined ? '/' : (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  };
  var share = function (done, total) {
    return `${done}/${total}`;
  };

  // The columns of the bulletin's data-collection tables, for districts and hospitals alike.
  var COLLECTION_COLUMNS = [
    [
      '定时上传记录 Scheduled records',
      function (row) {
        return count(row.scheduledUploadRecords);
      },
    ],
    [
      '实时上传天数 Real-time days',
      function (row) {
        return count(row.realtimeUploadDays);
      },
    ],
    [
      '实时表单 Real-time forms',
      function (row) {
        return share(row.realtimeFormsUploaded, row.realtimeFormsTotal);
      },
    ],
    [
      '门诊人次 Outpatient visits',
      function (row) {
        return count(row.outpatientVisits);
      },
    ],
    [
      '门诊收入(元) Outpatient revenue',
      function (row) {
        return yuan(row.outpatientRevenueFen);
      },
    ],
    [
      '急诊人次 Emergency visits',
      function (row) {
        return count(row.emergencyVisits);
      },
    ],
    [
      '急诊收入(元) Emergency revenue',
      function (row) {
        return yuan(row.emergencyRevenueFen);
      },
    ],
    [
      '出院人次 Discharges',
      function (row) {
        return count(row.discharges);
      },
    ],
    [
      '住院收入(元) Inpatient revenue',
      function (row) {
        return yuan(row.inpatientRevenueFen);
      },
    ],
  ];

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  /** How many rows a long table shows until its panel is opened in full ("全部 All"). */
  var TOP_N = 10;

  /** Fills a table: a header row, one row per item (its key in data-key; with `top`, the rows after the top ones only in the opened panel), an optional footer. */
  function fillTable(table, headers, rows, footer, top) {
    table.replaceChildren();
    var head = element('thead');
    var headRow = element('tr');
    headers.forEach(function (header) {
      headRow.appendChild(element('th', header));
    });
    head.appendChild(headRow);
    var body = element('tbody');
    rows.forEach(function (row, index) {
      var tr = element('tr', undefined, top && index >= top ? 'beyond-top' : '');
      tr.dataset.key = row.key;
      row.cells.forEach(function (cell) {
        tr.appendChild(element('td', cell));
      });
      body.appendChild(tr);
    });
    if (rows.length === 0) {
      var empty = element('tr', undefined, 'empty-row');
      empty.dataset.key = 'none';
      var cell = element('td', '暂无数据 No data');
      cell.colSpan = headers.length;
      empty.appendChild(cell);
      body.appendChild(empty);
    }
    table.append(head, body);
    if (footer) {
      var foot = element('tfoot');
      var footRow = element('tr');
      footRow.dataset.key = footer.key;
      footer.cells.forEach(function (cell) {
        footRow.appendChild(element('td', cell));
      });
      foot.appendChild(footRow);
      table.appendChild(foot);
    }
  }

  /** A panel's "all" button: how many rows its table holds, hidden when the top rows are all of them. */
  function allButton(panelId, total) {
    var button = $(panelId).querySelector('button.all');
    button.textContent = $(panelId).classList.contains('expanded') ? '收起 Close' : `全部 All (${total})`;
    button.hidden = total <= TOP_N;
  }

  // ---- rendering ----

  /** Every table, card and chart of the month from the API's answer. */
  function render(data) {
    var cockpit = data.cockpitMonth || { districts: [], hospitals: [], city: null, verifiedRecordsCumulative: null };
    renderSummary(cockpit);
    fillTable(
      $('districts'),
      ['区 District'].concat(
        COLLECTION_COLUMNS.map(function (column) {
          return column[0];
        }),
      ),
      cockpit.districts.map(function (row) {
        return {
          key: row.district,
          cells: [row.district].concat(
            COLLECTION_COLUMNS.map(function (column) {
              return column[1](row);
            }),
          ),
        };
      }),
      cockpit.city
        ? {
            key: 'city',
            cells: ['全市 City'].concat(
              COLLECTION_COLUMNS.map(function (column) {
                return column[1](cockpit.city);
              }),
            ),
          }
        : null,
    );
    fillTable(
      $('hospitals'),
      ['医院 Hospital'].concat(
        COLLECTION_COLUMNS.map(function (column) {
          return column[0];
        }),
      ),
      // The busiest first (outpatient and emergency visits), so that the top rows are the ones that matter.
      cockpit.hospitals
        .slice()
        .sort(function (a, b) {
          return b.outpatientVisits + b.emergencyVisits - (a.outpatientVisits + a.emergencyVisits);
        })
        .map(function (row) {
          var organization = row.organization || { code: '?', name: '?' };
          return {
            key: organization.code,
            cells: [organization.name].concat(
              COLLECTION_COLUMNS.map(function (column) {
                return column[1](row);
              }),
            ),
          };
        }),
      null,
      TOP_N,
    );
    allButton('hospitals-panel', cockpit.hospitals.length);
    renderForms(data.formsCompleteness || []);
    renderAppointments(data.appointmentsByChannel || { hospitals: [], platforms: [] });
    renderTrend(data.cockpitTrend || []);
  }

  function renderSummary(cockpit) {
    var city = cockpit.city || {};
    var stay = city.averageStayDays;
    var cards = [
      ['累计核验记录 Verified records (cumulative)', count(cockpit.verifiedRecordsCumulative)],
      ['本月核验记录 Verified this month', count(city.verifiedRecords)],
      ['门急诊人次 Outpatient and emergency visits', count(city.outpatientVisits === undefined ? undefined : city.outpatientVisits + city.emergencyVisits)],
      ['入院人次 Admissions', count(city.admissions)],
      ['出院人次 Discharges', count(city.discharges)],
      ['在院人数 In hospital (month end)', count(city.inpatientsAtEnd)],
      ['平均住院日 Average stay', stay === null || stay === undefined ? '/' : `${stay.toFixed(1)} 天`],
      ['门急诊次均费用(元) Revenue per visit', yuan(city.outpatientRevenuePerVisitFen)],
      ['出院者次均费用(元) Revenue per discharge', yuan(city.inpatientRevenuePerDischargeFen)],
    ];
    var summary = $('summary');
    summary.replaceChildren();
    cards.forEach(function (card) {
      var node = element('div', undefined, 'card');
      node.dataset.key = card[0];
      node.append(element('div', card[1], 'value'), element('div', card[0], 'label'));
      summary.appendChild(node);
    });
  }

  function renderForms(forms) {
    var grid = $('forms');
    grid.replaceChildren();
    forms.forEach(function (entry) {
      var tile = element(
        'div',
        undefined,
        `form ${entry.hospitalsReporting === 0 ? 'none' : entry.hospitalsReporting >= entry.hospitalsTotal ? 'full' : 'partial'}`,
      );
      tile.dataset.key = entry.form.code;
      tile.append(
        element('div', entry.form.name, 'name'),
        element('div', `医院 Hospitals ${share(entry.hospitalsReporting, entry.hospitalsTotal)}`, 'hospitals'),
        element('div', `机构 Organizations ${count(entry.organizationsReporting)}`, 'organizations'),
      );
      grid.appendChild(tile);
    });
    if (forms.length === 0) grid.appendChild(element('p', 'No real-time forms this month.'));
  }

  var CHANNELS = [
    ['online12320', '12320'],
    ['quick', '快速预约 Quick'],
    ['inClinic', '诊间 In clinic'],
    ['thirdParty', '第三方 Third party'],
  ];

  function renderAppointments(appointments) {
    fillTable(
      $('appointments'),
      ['医院 Hospital'].concat(
        CHANNELS.map(function (channel) {
          return channel[1];
        }),
        ['合计 Total'],
      ),
      appointments.hospitals.map(function (row) {
        var organization = row.organization || { code: '?', name: '?' };
        return {
          key: organization.code,
          cells: [organization.name].concat(
            CHANNELS.map(function (channel) {
              return count(row[channel[0]]);
            }),
            [count(row.total)],
          ),
        };
      }),
      null,
      TOP_N,
    );
    allButton('appointments-panel', appointments.hospitals.length);
    fillTable(
      $('platforms'),
      ['线上平台 Online platform', '预约量 Appointments'],
      appointments.platforms.map(function (row) {
        return { key: row.platform, cells: [row.name, count(row.appointments)] };
      }),
    );
    CockpitCharts.appointments(appointments, CHANNELS);
  }

  function renderTrend(rows) {
    fillTable(
      $('trend'),
      [
        '月份 Month',
        '核验记录 Verified',
        '门诊人次 Outpatient',
        '急诊人次 Emergency',
        '出院人次 Discharges',
        '门诊收入(元) Outpatient revenue',
        '住院收入(元) Inpatient revenue',
      ],
      rows.map(function (row) {
        return {
          key: row.period,
          cells: [
            row.period,
            count(row.verifiedRecords),
            count(row.outpatientVisits),
            count(row.emergencyVisits),
            count(row.discharges),
            yuan(row.outpatientRevenueFen),
            yuan(row.inpatientRevenueFen),
          ],
        };
      }),
    );
    CockpitCharts.trend(rows);
  }

  window.CockpitTables = { render: render, element: element, allButton: allButton };
})();
