// The cockpit's charts (ECharts), drawn from the API's answers by cockpit.js. A chart with
// nothing to show says so ("暂无数据 No data") instead of drawing empty axes or equal slices
// of zero; every chart is drawn again once the page's font has loaded, since a canvas does not
// redraw its text by itself.
(function () {
  'use strict';

  var FONT = '"Noto Sans SC", system-ui, sans-serif';
  var NO_DATA = '暂无数据 No data';
  /** The last drawing of each chart, by element id, to draw again when a font arrives. */
  var drawn = {};

  var sum = function (values) {
    return values.reduce(function (total, value) {
      return total + (Number(value) || 0);
    }, 0);
  };
  var column = function (rows, field) {
    return rows.map(function (row) {
      return row[field];
    });
  };

  /** The chart's note, over it when it has no data: created with the chart's frame on first use. */
  function noteOf(node) {
    var note = document.getElementById(`${node.id}-empty`);
    if (note) return note;
    var frame = document.createElement('div');
    frame.className = 'chart-frame';
    node.replaceWith(frame);
    note = document.createElement('p');
    note.id = `${node.id}-empty`;
    note.className = 'no-data';
    frame.append(node, note);
    return note;
  }

  /** Draws `option` in the chart, or clears it and shows `empty` (the no-data text unless given) when `option` is null. */
  function draw(id, option, empty) {
    drawn[id] = [option, empty];
    var node = document.getElementById(id);
    var note = noteOf(node);
    var chart = echarts.getInstanceByDom(node) || echarts.init(node, null, { renderer: 'canvas' });
    note.textContent = empty || NO_DATA;
    note.hidden = Boolean(option);
    if (!option) {
      chart.clear();
      return;
    }
    chart.setOption(Object.assign({ animation: false, textStyle: { fontFamily: FONT } }, option), true);
  }

  /** Bars (and lines) over categories, one series per [name, figures, type, axis]; null when every figure is zero. */
  function categories(labels, series, axes) {
    var figures = series.map(function (entry) {
      return entry[1];
    });
    if (labels.length === 0 || sum(figures.flat()) === 0) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: {
        data: series.map(function (entry) {
          return entry[0];
        }),
      },
      xAxis: { type: 'category', data: labels },
      yAxis: axes.map(function (name) {
        return { type: 'value', name: name };
      }),
      series: series.map(function (entry) {
        return { name: entry[0], type: entry[2] || 'bar', yAxisIndex: entry[3] || 0, data: entry[1] };
      }),
    };
  }

  /** A district's days; `days` null while no district is chosen. */
  function districtDays(days) {
    if (!days) {
      draw('district-days-chart', null, '选择区 Choose a district');
      return;
    }
    draw(
      'district-days-chart',
      categories(
        column(days, 'period'),
        [
          ['门诊 Outpatient', column(days, 'outpatientVisits')],
          ['急诊 Emergency', column(days, 'emergencyVisits')],
          ['出院 Discharges', column(days, 'discharges')],
          ['核验记录 Verified', column(days, 'verifiedRecords'), 'line', 1],
        ],
        ['人次', '记录'],
      ),
    );
  }

  /** The month's appointments by channel (the hospitals' total row; `channels`: [field, label]), and the online platforms' shares. */
  function appointments(answer, channels) {
    var total = answer.hospitalsTotal || {};
    var slices = channels
      .map(function (channel) {
        return { name: channel[1], value: total[channel[0]] || 0 };
      })
      .filter(function (slice) {
        return slice.value > 0;
      });
    draw(
      'channels-chart',
      slices.length === 0
        ? null
        : {
            tooltip: { trigger: 'item' },
            legend: { bottom: 0 },
            series: [{ type: 'pie', radius: ['30%', '60%'], center: ['50%', '45%'], label: { formatter: '{b}\n{c}' }, data: slices }],
          },
    );
    var platforms = answer.platforms.filter(function (row) {
      return row.appointments > 0;
    });
    draw(
      'platforms-chart',
      platforms.length === 0
        ? null
        : {
            tooltip: { trigger: 'item' },
            series: [
              {
                type: 'pie',
                radius: ['35%', '65%'],
                data: platforms.map(function (row) {
                  return { name: row.name, value: row.appointments };
                }),
              },
            ],
          },
    );
  }

  /** Outpatient and emergency visits per row, as the bulletin counts them together. */
  var visitsOf = function (rows) {
    return rows.map(function (row) {
      return row.outpatientVisits + row.emergencyVisits;
    });
  };

  /** The twelve months: visits (left axis), admissions and discharges (right axis, far fewer); verified records in the table. */
  function trend(rows) {
    draw(
      'trend-chart',
      categories(
        column(rows, 'period'),
        [
          ['门急诊 Visits', visitsOf(rows), 'line'],
          ['入院 Admissions', column(rows, 'admissions'), 'line', 1],
          ['出院 Discharges', column(rows, 'discharges'), 'line', 1],
        ],
        ['门急诊', '住院'],
      ),
    );
  }

  /** A hospital's days of the month and its twelve months (the drill-down). */
  function hospital(days, months) {
    draw(
      'hospital-days-chart',
      categories(
        column(days, 'period'),
        [
          ['门急诊 Visits', visitsOf(days)],
          ['入院 Admissions', column(days, 'admissions'), 'line', 1],
          ['出院 Discharges', column(days, 'discharges'), 'line', 1],
        ],
        ['人次', '住院 Inpatients'],
      ),
    );
    draw(
      'hospital-trend-chart',
      categories(
        column(months, 'period'),
        [
          ['门急诊 Visits', visitsOf(months), 'line'],
          ['出院 Discharges', column(months, 'discharges'), 'line', 1],
        ],
        ['人次', '出院'],
      ),
    );
  }

  document.fonts.addEventListener('loadingdone', function () {
    Object.keys(drawn).forEach(function (id) {
      draw(id, drawn[id][0], drawn[id][1]);
    });
  });

  /** Fits every chart to its box again (the window or a panel changed size). */
  function resize() {
    Object.keys(drawn).forEach(function (id) {
      var chart = echarts.getInstanceByDom(document.getElementById(id));
      if (chart) chart.resize();
    });
  }
  window.addEventListener('resize', resize);

  window.CockpitCharts = { districtDays: districtDays, hospital: hospital, appointments: appointments, trend: trend, resize: resize };
})();
