// The health commission's cockpit: signs in with a pasted bearer token (kept in this tab's
// sessionStorage only), then asks POST /graphql for a month's figures and shows them as
// tables and ECharts charts. Everything it shows comes from the API, which decides who may see
// it; text goes into the page as text, never as markup.
(function () {
  'use strict';

  var TOKEN_KEY = 'jinling:cockpit-token';
  var ROLE = 'health_commission';
  var $ = function (id) {
    return document.getElementById(id);
  };

  var ROW =
    'scheduledUploadRecords verifiedRecords realtimeUploadDays realtimeFormsUploaded realtimeFormsTotal outpatientVisits outpatientRevenueFen emergencyVisits emergencyRevenueFen discharges inpatientRevenueFen';
  var QUERY = [
    'query Cockpit($month: String!, $from: String!, $to: String!) {',
    `  cockpitMonth(month: $month) { month verifiedRecordsCumulative city { ${ROW} } districts { district ${ROW} } hospitals { organization { code name } ${ROW} } }`,
    '  formsCompleteness(month: $month) { form { code name } organizationsReporting hospitalsReporting hospitalsTotal }',
    '  appointmentsByChannel(month: $month) { hospitals { organization { code name } online12320 quick inClinic thirdParty total } platforms { platform name appointments } }',
    '  cockpitTrend(from: $from, to: $to) { period verifiedRecords outpatientVisits emergencyVisits discharges outpatientRevenueFen inpatientRevenueFen }',
    '}',
  ].join('\n');
  // The months the page looks back over for the latest with data (the most cockpitTrend answers).
  var LOOKBACK_MONTHS = 36;
  var LATEST = `query LatestMonth($from: String!, $to: String!) { cockpitTrend(from: $from, to: $to) { period ${ROW} } }`;
  /** How often the page asks again for the month it shows, so that live uploads appear without a reload. */
  var REFRESH_MS = 30000;
  var DISTRICT_DAYS =
    'query DistrictDays($month: String!, $district: String!) { cockpitDays(month: $month, district: $district) { period verifiedRecords outpatientVisits emergencyVisits discharges } }';

  /** The district whose days are shown ('' until one is chosen in its table or selector). */
  var selectedDistrict = '';

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

  /** Fills a table: a header row, one row per item (its key in data-key), an optional footer. */
  function fillTable(table, headers, rows, footer) {
    table.replaceChildren();
    var head = element('thead');
    var headRow = element('tr');
    headers.forEach(function (header) {
      headRow.appendChild(element('th', header));
    });
    head.appendChild(headRow);
    var body = element('tbody');
    rows.forEach(function (row) {
      var tr = element('tr');
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

  function show(id, visible) {
    $(id).hidden = !visible;
  }
  function say(text) {
    $('message').textContent = text;
    show('message', Boolean(text));
  }

  // ---- the API ----

  async function ask(token, query, variables) {
    var response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: query, variables: variables || {} }),
    });
    var body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!body) throw new Error(`The gateway answered ${response.status} without a GraphQL response`);
    if (!body.data && body.errors && body.errors.length) throw new Error(body.errors[0].message);
    return body;
  }

  /** Signs in only with a health commission token: the API says whose it is. */
  async function signIn(token) {
    var answer = await ask(token, '{ viewer { roles } }');
    var roles = answer.data?.viewer?.roles || [];
    if (roles.indexOf(ROLE) < 0) {
      throw new Error(`This page is for the health commission: the token’s role is ${roles.join(', ') || 'unknown'}. Sign in with a health_commission token.`);
    }
  }

  // ---- the month ----

  function currentMonth() {
    // The city's calendar (Beijing, UTC+8).
    return new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 7);
  }
  function monthsBefore(month, months) {
    var parts = month.split('-').map(Number);
    var date = new Date(Date.UTC(parts[0], parts[1] - 1 - months, 1));
    return date.toISOString().slice(0, 7);
  }

  function selectedMonth() {
    return $('month').value || currentMonth();
  }
  /** Whether a row counts anything (the real-time form counts follow the records, and the totals are not counts). */
  function hasFigures(row) {
    return ROW.split(' ').some(function (field) {
      return field !== 'realtimeFormsTotal' && Number(row[field]) > 0;
    });
  }
  /** The latest month with figures among the last LOOKBACK_MONTHS (one request); the current month when none has. */
  async function latestMonthWithData(token) {
    var now = currentMonth();
    var answer = await ask(token, LATEST, { from: monthsBefore(now, LOOKBACK_MONTHS - 1), to: now });
    var months = (answer.data?.cockpitTrend || []).filter(hasFigures);
    return months.length ? months[months.length - 1].period : now;
  }
  /** The time of the figures shown, in the city's time (Beijing). */
  function asOf() {
    return `截至 As of ${new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 19).replace('T', ' ')} (北京时间 Beijing)`;
  }
  function problemsOf(answer) {
    return (answer.errors || []).map(function (error) {
      return error.message;
    });
  }

  async function load(token) {
    var month = selectedMonth();
    $('status').textContent = `Loading ${month}…`;
    var answer = await ask(token, QUERY, { month: month, from: monthsBefore(month, 11), to: month });
    // Another month chosen meanwhile: its own load shows it.
    if (month !== selectedMonth()) return;
    var data = answer.data || {};
    render(month, data);
    var problems = problemsOf(answer);
    $('status').textContent = problems.length ? `Some figures could not be loaded: ${problems.join('; ')}` : `Figures of ${month}.`;
    $('as-of').textContent = asOf();
    if (selectedDistrict) await loadDistrict(token);
    else CockpitCharts.districtDays(null);
  }

  /** The chosen district's days of the month: its own request, made when a district is chosen or the month changes. */
  async function loadDistrict(token) {
    var month = selectedMonth();
    var district = selectedDistrict;
    $('district').value = district;
    Array.prototype.forEach.call($('districts').querySelectorAll('tbody tr'), function (row) {
      row.classList.toggle('selected', row.dataset.key === district);
    });
    $('district-status').textContent = `Loading ${district}, ${month}…`;
    var answer;
    try {
      answer = await ask(token, DISTRICT_DAYS, { month: month, district: district });
    } catch (error) {
      $('district-status').textContent = error.message;
      return;
    }
    // A later choice wins over an answer that arrives late.
    if (district !== selectedDistrict || month !== selectedMonth()) return;
    var problems = problemsOf(answer);
    CockpitCharts.districtDays(answer.data?.cockpitDays || []);
    $('district-status').textContent = problems.length ? `The district’s days could not be loaded: ${problems.join('; ')}` : `Days of ${district} in ${month}.`;
  }

  // ---- rendering ----

  function render(_month, data) {
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
      cockpit.hospitals.map(function (row) {
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
    );
    renderDistrictChoices(cockpit.districts);
    renderForms(data.formsCompleteness || []);
    CockpitCharts.visits(cockpit.districts);
    renderAppointments(data.appointmentsByChannel || { hospitals: [], platforms: [] });
    renderTrend(data.cockpitTrend || []);
  }

  function renderSummary(cockpit) {
    var city = cockpit.city || {};
    var cards = [
      ['累计核验记录 Verified records (cumulative)', count(cockpit.verifiedRecordsCumulative)],
      ['本月核验记录 Verified this month', count(city.verifiedRecords)],
      ['门急诊人次 Outpatient and emergency visits', count(city.outpatientVisits === undefined ? undefined : city.outpatientVisits + city.emergencyVisits)],
      ['出院人次 Discharges', count(city.discharges)],
    ];
    var summary = $('summary');
    summary.replaceChildren();
    cards.forEach(function (card) {
      var node = element('div', undefined, 'card');
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

  function renderDistrictChoices(districts) {
    var select = $('district');
    select.replaceChildren(element('option', '选择区 Choose a district'));
    select.firstChild.value = '';
    districts.forEach(function (row) {
      var option = element('option', row.district);
      option.value = row.district;
      select.appendChild(option);
    });
    select.value = selectedDistrict;
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
    );
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

  // ---- the page's states: signed out (the form only), or signed in (the cockpit) ----

  /** The page's own refresh: its timer, and a load in flight (a tick during one waits for the next). */
  var refreshTimer = null;
  var loading = null;

  /** Loads the month shown again with the tab's token (what the timer calls every REFRESH_MS). */
  function refresh() {
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return Promise.resolve();
    if (loading) return loading;
    loading = load(token)
      .catch(function (error) {
        say(error.message);
      })
      .finally(function () {
        loading = null;
      });
    return loading;
  }

  function signedOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    clearInterval(refreshTimer);
    refreshTimer = null;
    selectedDistrict = '';
    $('month').value = '';
    show('cockpit', false);
    show('session', false);
    show('sign-in', true);
    say(message || '');
  }

  async function signedIn(token) {
    show('sign-in', false);
    show('session', true);
    show('cockpit', true);
    say('');
    if (!refreshTimer) refreshTimer = setInterval(refresh, REFRESH_MS);
    try {
      // Opened without a month chosen: the latest that has figures, not an empty current month.
      if (!$('month').value) $('month').value = await latestMonthWithData(token);
    } catch (error) {
      say(error.message);
      return;
    }
    await refresh();
  }

  async function start(token) {
    try {
      await signIn(token);
    } catch (error) {
      signedOut(error.message);
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    await signedIn(token);
  }

  $('sign-in').addEventListener('submit', function (event) {
    event.preventDefault();
    var token = $('token')
      .value.trim()
      .replace(/^Bearer\s+/i, '');
    $('token').value = '';
    start(token);
  });
  $('sign-out').addEventListener('click', function () {
    signedOut();
  });
  $('month').addEventListener('change', function () {
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token)
      load(token).catch(function (error) {
        say(error.message);
      });
  });
  function chooseDistrict(district) {
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (!token || !district) return;
    selectedDistrict = district;
    loadDistrict(token);
  }
  $('district').addEventListener('change', function () {
    chooseDistrict($('district').value);
  });
  $('districts').addEventListener('click', function (event) {
    var row = event.target.closest('tbody tr');
    if (row) chooseDistrict(row.dataset.key);
  });

  // For a person at the console, and for tests, which must not wait for the timer.
  window.cockpit = { refresh: refresh, refreshEveryMs: REFRESH_MS };

  var kept = sessionStorage.getItem(TOKEN_KEY);
  if (kept) start(kept);
  else signedOut();
})();
