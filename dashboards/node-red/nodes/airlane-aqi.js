'use strict';
// airlane-aqi: the ATMO or EAQI class of each site from a running mean of its readings over a window, clocked by
// the readings' time. One output message per reading that carries an indexed pollutant.
//
// Windows: EAQI (2024) classes hourly concentrations → 60 min; ATMO classes the day's mean for particles and the
// day's maximum hourly mean for gases → 1440 min gives the particle statistic (for gases a daily running mean is
// lower than the daily max of hourly means, so the result is indicative). A kerbside site is never the regulatory,
// background ATMO index anyway (arrêté du 10 juillet 2020; gateway/air/indices/README.md).
const { airIndex } = require('../lib/bands.js');
const { concentrations, RunningMeans } = require('../lib/window.js');

const DEFAULT_WINDOW_MIN = { atmo: 1440, eaqi: 60 };

module.exports = function (RED) {
  function AirlaneAqiNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const scheme = config.scheme === 'eaqi' ? 'eaqi' : 'atmo';
    const windowMin = Number(config.window) > 0 ? Number(config.window) : DEFAULT_WINDOW_MIN[scheme];
    const means = new RunningMeans(windowMin * 60000);

    node.on('input', (msg, send, done) => {
      const r = msg.payload;
      const t = r && typeof r.time === 'string' ? Date.parse(r.time) : NaN;
      if (!r || typeof r.site !== 'string' || !Number.isFinite(t) || !r.values || typeof r.values !== 'object') {
        done(new Error('airlane-aqi expects msg.payload to be a Reading (put an airlane-in node before it)'));
        return;
      }
      const c = concentrations(r.values);
      if (Object.keys(c).length === 0) return done();
      const w = means.add(r.site, t, c);
      const idx = airIndex(scheme, w.means);
      if (!idx) return done();
      node.status({ fill: 'grey', shape: 'dot', text: `${r.site}: ${idx.level} ${idx.label}` });
      const sub = {};
      for (const [p, s] of Object.entries(idx.sub)) {
        sub[p] = { level: s.level, label: s.label, mean_ugm3: Math.round(s.value * 100) / 100, samples: w.samples[p] };
      }
      send({
        topic: msg.topic,
        payload: {
          scheme,
          site: r.site,
          level: idx.level,
          label: idx.label,
          colour: idx.colour,
          dominant: idx.dominant,
          sub,
          time: new Date(w.latest).toISOString(),
          window_min: windowMin,
        },
      });
      done();
    });
  }
  RED.nodes.registerType('airlane-aqi', AirlaneAqiNode);
};
