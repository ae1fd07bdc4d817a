// The cockpit's first row of cards, drawn by cockpit.js from the API's answer: the bulletin's
// headline counters up to the end of the month shown (bulletinHeadline), in 万 and 亿 as the
// health commission reads them with the exact figure in the title, and the month's one-stop
// settlement (the city row of cockpitMonth). Text goes in as text, never as markup.
(function () {
  'use strict';

  var element = CockpitTables.element;
  var NO_DATA = '无数据 No data';

  /** 8,680,000 → "868.0 万" (up to 9999.9 万); 17,800,000,000 → "178 亿" (at most two decimals, none when whole); below 10,000 as it is. */
  function inChinese(value) {
    if (value === null || value === undefined) return NO_DATA;
    var wan = (value / 1e4).toFixed(1);
    // 99,999,999 is "1 亿", not "10000.0 万".
    if (Math.abs(Number(wan)) >= 1e4) return `${Number((value / 1e8).toFixed(2))} 亿`;
    if (Math.abs(value) >= 1e4) return `${wan} 万`;
    return Number(value).toLocaleString('en-US');
  }
  var exact = function (value) {
    return value === null || value === undefined ? NO_DATA : Number(value).toLocaleString('en-US');
  };
  var yuan = function (fen) {
    return inChinese(fen === null || fen === undefined ? fen : Math.round(fen / 100));
  };

  /** The bulletin's headline counters, in its order (BulletinHeadline's fields). */
  var HEADLINE = [
    ['residentArchives', '居民健康档案 Resident archives'],
    ['masterIndexEntries', '主索引 Master index entries'],
    ['archiveLookups', '档案调阅 Archive look-ups'],
    ['smartReminders', '智能提示 Smart reminders'],
    ['dataUnderManagement', '数据汇聚 Data under management'],
    ['validatedRecords', '累计校验入库 Validated records'],
  ];
  var SETTLEMENT = '一站式结算 One-stop settlement';

  function card(key, value, label, title, className) {
    var node = element('div', undefined, className ? `card ${className}` : 'card');
    node.dataset.key = key;
    node.title = title;
    node.append(element('div', value, 'value'), element('div', label, 'label'));
    return node;
  }

  /** The month's settlements, their total in yuan (net of refunds) and the insurance's share of it. */
  function settlementCard(city) {
    if (!city) return card(SETTLEMENT, NO_DATA, SETTLEMENT, NO_DATA, 'settlement');
    var total = city.settlementTotalFen;
    var share = total > 0 ? `${((city.settlementInsuranceFen / total) * 100).toFixed(1)}%` : '/';
    var value = `${exact(city.settlements)} 笔 · ¥${yuan(total)}`;
    var title = `${exact(city.settlements)} settlements, ${exact(city.settlementRefunds)} refunds; total ${exact(total / 100)} 元, insurance ${exact(
      city.settlementInsuranceFen / 100,
    )} 元, self-paid ${exact(city.settlementSelfPaidFen / 100)} 元 (net of refunds)`;
    return card(SETTLEMENT, value, `${SETTLEMENT} · 医保 Insurance ${share}`, title, 'settlement');
  }

  /** The first row: the headline counters (each "no data" when the API answered none) and the settlement card. */
  function render(headline, city) {
    var section = document.getElementById('headline');
    section.replaceChildren(
      ...HEADLINE.map(function (entry) {
        var value = headline ? headline[entry[0]] : null;
        return card(entry[1], inChinese(value), entry[1], exact(value));
      }),
      settlementCard(city),
    );
    section.hidden = false;
  }

  window.CockpitHeadline = { render: render, inChinese: inChinese };
})();
