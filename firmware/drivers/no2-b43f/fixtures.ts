// Calibration-sheet constants of real NO2-B43F sensors with ISBs (serial prefix 202 = "ASB4_NO2" in
// smartcitizen-data scdata/_config/config.py `_as_sensor_codes`).
// Source: github.com/fablabbcn/smartcitizen-data, calibrations/calibrations.json
// (commit 1176c338580897d0dcca332bdaa50f585caebe0a), entries "202440338" and "202440340" — two of the few
// NO2 entries there with both electronic zeros filled in. Sheet fields: we/ae_electronic_zero_mv,
// we/ae_sensor_zero_mv, we_sensitivity_na_ppb, pcb_gain_mv_na, we_sensitivity_mv_ppb (= nA/ppb × gain).
import type { No2B43fOptionsInput } from './options.js';

export const sheet202440338 = {
  serial_number: '202440338',
  we_zero_electronic_mv: 232.95,
  ae_zero_electronic_mv: 217.2,
  we_zero_sensor_mv: -29.492,
  ae_zero_sensor_mv: -18.396,
  // −0.3391 nA/ppb × −0.73 mV/nA
  sensitivity_mv_per_ppb: 0.247543,
} satisfies No2B43fOptionsInput;

export const sheet202440340 = {
  serial_number: '202440340',
  we_zero_electronic_mv: 232.27,
  ae_zero_electronic_mv: 233.04,
  we_zero_sensor_mv: -22.338,
  ae_zero_sensor_mv: -12.41,
  // −0.376 nA/ppb × −0.73 mV/nA
  sensitivity_mv_per_ppb: 0.27448,
} satisfies No2B43fOptionsInput;

// An NO2-A43F (A4 series; serial prefix 212 = "ASA4_NO2" in the same `_as_sensor_codes`) on Alphasense AFE
// 27-000001 (type 810-0023-02, calibrated 2016-11-01): the AFE gives the same WE/AE voltages an ISB does.
// Source: github.com/south-coast-science/scs_core, src/scs_core/model/gas/s1/gas_request.py
// (commit 441baeeb97e4385a7aa575fc7a531f6d637bc62a), docstring "example document", calibs.NO2.
export const sheet212060308 = {
  serial_number: '212060308',
  series: 'A4',
  we_zero_electronic_mv: 309,
  ae_zero_electronic_mv: 308,
  we_zero_sensor_mv: 3,
  ae_zero_sensor_mv: 1,
  // −0.264 nA/ppb × −0.73 mV/nA, as the sheet rounds it
  sensitivity_mv_per_ppb: 0.192,
} satisfies No2B43fOptionsInput;

/**
 * A real sample of that sensor from the same docstring (rec 2020-11-11T16:16:34Z): weV 0.31569 V, aeV 0.3095 V,
 * sht tmp 22.2 °C, and the weC 0.00395 V scs_core computed from them with A4 algorithm 1 (a4_temp_comp.py).
 * Voltages are recorded to 10 µV, so a recomputation agrees only to that rounding.
 */
export const sample212060308 = { weMv: 315.69, aeMv: 309.5, temperatureC: 22.2, weCorrectedMv: 3.95 } as const;
