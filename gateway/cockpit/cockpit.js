// The health commission's cockpit: signs in with a pasted bearer token (kept in this tab's
// sessionStorage only), then asks POST /graphql for a month's figures and shows them as
// tables (cockpit-tables.js) and ECharts charts (cockpit-charts.js), again every 30 s. Everything
// it shows comes from the API, which decides who may see it.
(function () {
  'use strict';

  var TOKEN_KEY = 'jinling:cockpit-token';
  var ROLE = 'health_commission';
  var $ = function (id) {
    return document.getElementById(id);
  };

  var ROW =
    'scheduledUploadRecords verifiedRecords realtimeUploadDays realtimeFormsUploaded realtimeFormsTotal outpatientVisits outpatientRevenueFen emergencyVisits emergencyRevenueFen discharges inpatientRevenueFen admissions inpatientDays averageStayDays outpatientRevenuePerVisitFen inpatientRevenuePerDischargeFen seeded';
  /** The month's census, which cockpitMonth's rows alone answer. */
  var CENSUS = 'inpatientsAtEnd';
  /** The city's one-stop settlement of the month, for the first row's card. */
  var SETTLEMENT = 'settlements settlementRefunds settlementTotalFen settlementInsuranceFen settlementSelfPaidFen';
  var QUERY = [
    'query Cockpit($month: String!, $from: String!, $to: String!, $indicator: CockpitIndicator!) {',
    `  cockpitMonth(month: $month) { month verifiedRecordsCumulative city { ${ROW} ${CENSUS} ${SETTLEMENT} } districts { district ${ROW} ${CENSUS} } hospitals { organization { code name } ${ROW} ${CENSUS} } }`,
    '  bulletinHeadline(month: $month) { residentArchives masterIndexEntries archiveLookups smartReminders dataUnderManagement validatedRecords }',
    '  formsCompleteness(month: $month) { form { code name } organizationsReporting hospitalsReporting hospitalsTotal }',
    '  appointmentsByChannel(month: $month) { hospitals { organization { code name } online12320 quick inClinic thirdParty total } hospitalsTotal { online12320 quick inClinic thirdParty total } platforms { platform name appointments } }',
    '  cockpitTrend(from: $from, to: $to) { period seeded verifiedRecords outpatientVisits emergencyVisits admissions discharges outpatientRevenueFen inpatientRevenueFen }',
    '  cockpitRanking(month: $month, indicator: $indicator) { indicator districts { rank value row { district } } hospitals { rank value row { organization { code name } } } }',
    '}',
  ].join('\n');
  // The months the page looks back over for the latest with data (the most cockpitTrend answers).
  // The months the page looks back over for the latest with figures: two spans of the 36 months
  // cockpitTrend answers at most, in one request (six years, so that a quiet city still opens on its last month).
  var SPAN_MONTHS = 36;
  var LATEST = [
    'query LatestMonth($recentFrom: String!, $now: String!, $olderFrom: String!, $olderTo: String!) {',
    `  recent: cockpitTrend(from: $recentFrom, to: $now) { period ${ROW} }`,
    `  older: cockpitTrend(from: $olderFrom, to: $olderTo) { period ${ROW} }`,
    '}',
  ].join('\n');
  /** How often the page asks again for the month it shows, so that live uploads appear without a reload. */
  var REFRESH_MS = 30000;
  var DISTRICT_DAYS =
    'query DistrictDays($month: String!, $district: String!) { cockpitDays(month: $month, district: $district) { period verifiedRecords outpatientVisits emergencyVisits discharges } }';

  /** A hospital's drill-down: its twelve months up to the month shown, and the month's days. */
  var HOSPITAL = [
    'query Hospital($month: String!, $from: String!, $code: ID!) {',
    `  cockpitTrend(from: $from, to: $month, organizationCode: $code) { period ${ROW} }`,
    '  cockpitDays(month: $month, organizationCode: $code) { period outpatientVisits emergencyVisits admissions discharges }',
    '}',
  ].join('\n');
  /** What the seeded figures are, said beside the as-of time (ActivityRow.seeded). */
  var SEEDED = {
    BULLETIN: '示范城市 Demo city: the bulletin’s figures of 2024-09 (admissions and stays derived)',
    DERIVED: '演示数据 Demo data: derived from the bulletin’s 2024-09 by the documented rule',
  };

  /** The district whose days are shown ('' until one is chosen in its table or selector). */
  var selectedDistrict = '';
  /** The last month's answer, for the district tiles' order. */
  var lastRanking = null;

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
  /** The latest month with figures among the last two spans (one request); the current month when none has. */
  async function latestMonthWithData(token) {
    var now = currentMonth();
    var answer = await ask(token, LATEST, {
      recentFrom: monthsBefore(now, SPAN_MONTHS - 1),
      now: now,
      olderFrom: monthsBefore(now, 2 * SPAN_MONTHS - 1),
      olderTo: monthsBefore(now, SPAN_MONTHS),
    });
    var data = answer.data || {};
    var months = (data.older || []).concat(data.recent || []).filter(hasFigures);
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
    var indicator = $('indicator').value;
    var answer = await ask(token, QUERY, { month: month, from: monthsBefore(month, 11), to: month, indicator: indicator });
    // Another month or indicator chosen meanwhile: its own load shows it.
    if (month !== selectedMonth() || indicator !== $('indicator').value) return;
    var data = answer.data || {};
    CockpitHeadline.render(data.bulletinHeadline, data.cockpitMonth?.city);
    CockpitTables.render(data);
    var districts = (data.cockpitMonth || { districts: [] }).districts;
    lastRanking = data.cockpitRanking
      ? Object.assign({}, data.cockpitRanking, {
          order: districts.map(function (row) {
            return row.district;
          }),
        })
      : null;
    CockpitViews.districtTiles(lastRanking, selectedDistrict);
    CockpitViews.ranking(data.cockpitRanking, TOP_N);
    var seeded = data.cockpitMonth?.city?.seeded;
    $('seeded').textContent = seeded ? SEEDED[seeded] : '';
    show('seeded', Boolean(seeded));
    renderDistrictChoices((data.cockpitMonth || { districts: [] }).districts);
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
    Array.prototype.forEach.call(document.querySelectorAll('#districts tbody tr, #district-tiles .tile'), function (row) {
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

  var element = CockpitTables.element;
  /** How many rows the ranking shows until its panel is opened in full. */
  var TOP_N = 10;

  /** A hospital's month and days over the page (its own request), until closed. */
  async function openHospital(code, name) {
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (!token || !code) return;
    var month = selectedMonth();
    $('hospital-title').textContent = `${name} · ${month} …`;
    show('hospital-panel', true);
    var answer;
    try {
      answer = await ask(token, HOSPITAL, { month: month, from: monthsBefore(month, 11), code: code });
    } catch (error) {
      $('hospital-title').textContent = `${name}: ${error.message}`;
      return;
    }
    var problems = problemsOf(answer);
    if (problems.length) {
      $('hospital-title').textContent = `${name}: ${problems.join('; ')}`;
      return;
    }
    $('hospital-panel').dataset.key = code;
    CockpitViews.hospital(name, month, answer.data.cockpitTrend || [], answer.data.cockpitDays || []);
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
    show('hospital-panel', false);
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
  // A panel's "all" button opens it over the page in full (its own scroll), and closes it again.
  document.querySelectorAll('button.all').forEach(function (button) {
    button.addEventListener('click', function () {
      var panel = $(button.dataset.panel);
      var open = panel.classList.toggle('expanded');
      if (button.dataset.toggle === 'table') button.textContent = open ? '收起 Close' : '表格 Table';
      else CockpitTables.allButton(button.dataset.panel, panel.querySelectorAll('tbody tr').length);
      CockpitCharts.resize();
    });
  });
  $('districts').addEventListener('click', function (event) {
    var row = event.target.closest('tbody tr');
    if (row) chooseDistrict(row.dataset.key);
  });
  $('district-tiles').addEventListener('click', function (event) {
    var tile = event.target.closest('.tile');
    if (tile) chooseDistrict(tile.dataset.key);
  });
  // A hospital's row, in the ranking or the data-collection table, opens its month and days.
  ['ranking', 'hospitals'].forEach(function (id) {
    $(id).addEventListener('click', function (event) {
      var row = event.target.closest('tbody tr');
      if (row?.dataset.key && row.dataset.key !== 'none') openHospital(row.dataset.key, row.cells[id === 'ranking' ? 1 : 0].textContent);
    });
  });
  $('hospital-close').addEventListener('click', function () {
    show('hospital-panel', false);
  });
  $('indicator').addEventListener('change', function () {
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token)
      load(token).catch(function (error) {
        say(error.message);
      });
  });
  CockpitViews.fillIndicators($('indicator'));

  // For a person at the console, and for tests, which must not wait for the timer.
  window.cockpit = { refresh: refresh, refreshEveryMs: REFRESH_MS };

  var kept = sessionStorage.getItem(TOKEN_KEY);
  if (kept) start(kept);
  else signedOut();
})();
