<?xml version="1.0" encoding="UTF-8"?>
<!--
  Annotations in the reading text (mode st:html): names linked to their index entry with
  the entity's identification, dates as time elements, corrections with the source's
  reading, note markers and the notes section (mode st:notes).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <!-- ===== names and dates ===== -->

  <xsl:template _match="{$st:names}" mode="st:html">
    <span id="{st:anchor(.)}">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="('name', st:kind(.)[. != ''])"/>
      </xsl:call-template>
      <xsl:call-template name="st:name-content"/>
    </span>
  </xsl:template>

  <xsl:template _match="({$st:names})[st:linked(.)]" mode="st:html" priority="2">
    <xsl:variable name="entity" select="st:entity(.)"/>
    <xsl:variable name="kind" select="st:kind(.)"/>
    <xsl:variable name="id" select="st:anchor(.)"/>
    <xsl:variable name="tip" select="st:tip($entity)"/>
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="('name', $kind)"/>
      </xsl:call-template>
      <a href="{$st:index-pages($kind)}#{$entity/@xml:id}" id="{$id}"
          aria-describedby="{$id}-tip">
        <xsl:call-template name="st:name-content"/>
      </a>
      <span class="tip" role="tooltip" id="{$id}-tip">
        <!-- The identification is in the register's language, not the name's ('fr' title). -->
        <xsl:variable name="tip-lang" select="if ($tip/@lang != '') then string($tip/@lang)
            else st:lang-of(/*, 'en')"/>
        <xsl:if test="$tip-lang != st:lang-of(., '')">
          <xsl:attribute name="lang" select="$tip-lang"/>
        </xsl:if>
        <xsl:value-of select="$tip"/>
      </span>
    </span>
  </xsl:template>

  <!-- An entity's tooltip: from $tips (tips.xsl) when the entity is in the authority files,
       else computed here. Both give its register's language ('' for none) and its summary. -->
  <xsl:function name="st:tip" as="element(st:tip)">
    <xsl:param name="entity" as="element()"/>
    <xsl:sequence select="(if (exists($tips) and exists($authority) and root($entity) is $authority)
        then key('st:tip', string($entity/@xml:id), $tips)[1] else (), st:make-tip($entity))[1]"/>
  </xsl:function>

  <xsl:function name="st:make-tip" as="element(st:tip)">
    <xsl:param name="entity" as="element()"/>
    <st:tip id="{$entity/@xml:id}" lang="{st:lang-of($entity, '')}">
      <xsl:value-of select="st:summary($entity)"/>
    </st:tip>
  </xsl:function>

  <xsl:template name="st:name-content">
    <xsl:apply-templates select="." mode="st:name-content"/>
  </xsl:template>

  <xsl:mode name="st:name-content" on-no-match="fail" use-accumulators="#all"/>
  <xsl:template match="*" mode="st:name-content">
    <xsl:apply-templates mode="st:html"/>
  </xsl:template>
  <xsl:template match="tei:title" mode="st:name-content">
    <cite>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="st:html"/>
    </cite>
  </xsl:template>

  <xsl:template match="tei:date[st:datetime(.)] | tei:time[st:datetime(.)]" mode="st:html">
    <time datetime="{st:datetime(.)}">
      <xsl:call-template name="st:date-attrs"/>
      <xsl:apply-templates mode="#current"/>
    </time>
  </xsl:template>

  <xsl:template match="tei:date | tei:time" mode="st:html">
    <span>
      <xsl:call-template name="st:date-attrs"/>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template name="st:date-attrs">
    <xsl:if test="st:date-range(.)">
      <xsl:attribute name="title" select="st:date-range(.)"/>
    </xsl:if>
    <xsl:call-template name="st:attrs">
      <xsl:with-param name="class" select="'date'"/>
    </xsl:call-template>
  </xsl:template>


  <!-- ===== editorial interventions ===== -->

  <!-- The corrected (or regularised) reading, with the source's reading on hover or focus. -->
  <xsl:template match="tei:choice[tei:corr | tei:reg]" mode="st:html">
    <xsl:variable name="id" select="st:docid(.) || '-c' || accumulator-before('st:choice-count')"/>
    <span class="choice" tabindex="0" aria-describedby="{$id}">
      <ins>
        <xsl:call-template name="st:attrs">
          <xsl:with-param name="source" select="(tei:corr, tei:reg)[1]"/>
          <xsl:with-param name="class" select="local-name((tei:corr, tei:reg)[1])"/>
        </xsl:call-template>
        <xsl:apply-templates select="(tei:corr, tei:reg)[1]/node()" mode="#current"/>
      </ins>
      <span class="tip" role="tooltip" id="{$id}">
        <xsl:value-of select="'Source: ' || st:plain((tei:sic, tei:orig)[1])"/>
      </span>
    </span>
  </xsl:template>


  <!-- ===== notes ===== -->

  <xsl:template match="tei:note" mode="st:html">
    <xsl:variable name="n" select="st:note-number(.)"/>
    <a class="noteref" href="#fn{$n}" id="fnref{$n}">
      <xsl:if test="@type = 'editorial'">
        <xsl:attribute name="class" select="'noteref editorial'"/>
      </xsl:if>
      <sup><xsl:value-of select="st:note-label(.)"/></sup>
    </a>
  </xsl:template>

  <xsl:template match="tei:note" mode="st:notes">
    <xsl:variable name="n" select="st:note-number(.)"/>
    <li id="fn{$n}">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="('note', 'editorial'[current()/@type = 'editorial'])"/>
      </xsl:call-template>
      <a class="backref" href="#fnref{$n}" title="back to the text">
        <xsl:value-of select="st:note-label(.)"/>
      </a>
      <xsl:text> </xsl:text>
      <div class="note-body">
        <xsl:if test="@type = 'editorial'">
          <span class="note-kind">Editorial note. </span>
        </xsl:if>
        <xsl:apply-templates mode="st:html"/>
      </div>
    </li>
  </xsl:template>

</xsl:stylesheet>
