import * as echarts from 'echarts/core';
import { BarChart, GaugeChart, LineChart, MapChart, PieChart, ScatterChart, EffectScatterChart } from 'echarts/charts';
import { GeoComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, TitleComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Only the parts the statistics pages draw (keeps the chunk small).
echarts.use([
  BarChart,
  GaugeChart,
  LineChart,
  MapChart,
  PieChart,
  ScatterChart,
  EffectScatterChart,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  TitleComponent,
  CanvasRenderer,
]);

export { echarts };
