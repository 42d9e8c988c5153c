<?xml version="1.0" encoding="UTF-8"?>
<!--
  Transcription and editorial markup to HTML (mode st:html): abbreviations, sic, corr,
  additions, deletions, supplied text, gaps, unclear readings.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <!-- ===== editorial interventions ===== -->

  <xsl:template match="tei:choice[tei:abbr and tei:expan]" mode="st:html">
    <abbr title="{st:plain(tei:expan[1])}">
      <xsl:apply-templates select="tei:abbr[1]/node()" mode="#current"/>
    </abbr>
  </xsl:template>

  <xsl:template match="tei:choice" mode="st:html" priority="-1">
    <xsl:apply-templates select="*[1]" mode="#current"/>
  </xsl:template>

  <xsl:template match="tei:sic" mode="st:html">
    <xsl:apply-templates mode="#current"/>
    <span class="sic-mark"> [sic]</span>
  </xsl:template>

  <xsl:template match="tei:corr | tei:add" mode="st:html">
    <ins>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </ins>
  </xsl:template>

  <xsl:template match="tei:del" mode="st:html">
    <del><xsl:apply-templates mode="#current"/></del>
  </xsl:template>

  <xsl:template match="tei:supplied" mode="st:html">
    <span class="supplied" title="supplied by the editors">
      <xsl:text>[</xsl:text>
      <xsl:apply-templates mode="#current"/>
      <xsl:text>]</xsl:text>
    </span>
  </xsl:template>

  <xsl:template match="tei:gap" mode="st:html">
    <span class="gap" title="text omitted">[…]</span>
  </xsl:template>

  <xsl:template match="tei:unclear" mode="st:html">
    <span class="unclear" title="uncertain reading"><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

</xsl:stylesheet>
