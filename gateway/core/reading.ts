// The data contracts live beside the firmware that produces them (firmware never imports the gateway).
export * from '../../firmware/contract.js';
