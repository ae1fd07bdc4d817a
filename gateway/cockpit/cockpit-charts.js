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

  function visits(districts) {
    var labels = column(districts, 'district');
    var revenue = districts.map(function (row) {
      return row.outpatientRevenueFen === null ? null : row.outpatientRevenueFen / 1000000;
    });
    draw(
      'visits-chart',
      categories(
        labels,
        [
          ['门诊 Outpatient', column(districts, 'outpatientVisits')],
          ['急诊 Emergency', column(districts, 'emergencyVisits')],
          ['门诊收入(万元) Outpatient revenue', revenue, 'line', 1],
        ],
        ['人次', '万元'],
      ),
    );
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

  /** The busiest hospitals' appointments stacked by channel (`channels`: [field, label]), and the online platforms' shares. */
  function appointments(answer, channels) {
    var top = answer.hospitals.slice(0, 10);
    var byChannel = channels.map(function (channel) {
      return column(top, channel[0]);
    });
    draw(
      'channels-chart',
      sum(byChannel.flat()) === 0
        ? null
        : {
            tooltip: { trigger: 'axis' },
            legend: { data: column(channels, 1) },
            grid: { left: 160 },
            xAxis: { type: 'value' },
            yAxis: {
              type: 'category',
              inverse: true,
              // Every hospital's name, not every other one.
              axisLabel: { interval: 0 },
              data: top.map(function (row) {
                return row.organization ? row.organization.name : '?';
              }),
            },
            series: channels.map(function (channel, index) {
              return { name: channel[1], type: 'bar', stack: 'channels', data: byChannel[index] };
            }),
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

  function trend(rows) {
    draw(
      'trend-chart',
      categories(
        column(rows, 'period'),
        [
          ['核验记录 Verified', column(rows, 'verifiedRecords'), 'line'],
          ['门诊 Outpatient', column(rows, 'outpatientVisits'), 'line'],
          ['出院 Discharges', column(rows, 'discharges'), 'line'],
        ],
        [''],
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

  window.CockpitCharts = { visits: visits, districtDays: districtDays, appointments: appointments, trend: trend, resize: resize };
})();
