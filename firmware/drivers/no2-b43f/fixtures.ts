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
